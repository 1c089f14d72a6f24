// Seeded fuzzing of the C ABI: random byte scripts (random and malformed
// instruction records, deposits, steps, reads, checkpoints, damaged
// restores) never crash and never break an invariant.
#include <random>
#include <vector>

#include "abi/marketforge_fuzz.h"
#include "testing/test.h"

namespace mf {
namespace {

MF_TEST(RandomAbiScriptsKeepEveryInvariant) {
  std::mt19937_64 random(2026);
  for (int script = 0; script < 200; ++script) {
    std::vector<uint8_t> bytes(2'000 + random() % 6'000);
    for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(random());
    MF_EXPECT_EQ(testing::RunAbiScript(bytes.data(), bytes.size()), std::string());
  }
}

}  // namespace
}  // namespace mf
