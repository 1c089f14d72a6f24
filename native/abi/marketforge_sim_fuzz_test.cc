// Fuzzes the background market's C ABI with seeded random input: settings
// vectors (in and out of range, NaN), remote instructions of random bytes,
// and checkpoints with bytes flipped or cut. Nothing may crash, hang or
// break an invariant; refusals must say why.
#include <cmath>
#include <cstring>
#include <vector>

#include "abi/marketforge_sim.h"
#include "exchange/records.h"
#include "sim/random.h"
#include "testing/test.h"

namespace mf::sim {
namespace {

std::vector<double> SmallSettings() {
  std::vector<double> values(mf_sim_param_count());
  double limits[4];
  for (uint32_t i = 0; i < values.size(); ++i) {
    mf_sim_param_limits(i, limits);
    values[i] = limits[0];
    const std::string name = mf_sim_param_name(i);
    if (name == "simulation.books") values[i] = 2;
    if (name == "simulation.books_per_block") values[i] = 1;
    if (name == "simulation.remote_agents") values[i] = 2;
    if (name == "init.count" || name == "stylized.count" || name == "noise.count") values[i] = 40;
  }
  return values;
}

MF_TEST(SimAbiRefusesRandomSettingsWithAReasonAndNeverCrashes) {
  Random random(11);
  const std::vector<double> base = SmallSettings();
  int refused = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<double> values = base;
    const uint32_t index = static_cast<uint32_t>(random.Below(values.size()));
    const double choices[] = {NAN, INFINITY, -1e300, 1e300, -1, 0.5, 0, random.Normal(0, 1e6)};
    values[index] = choices[random.Below(std::size(choices))];
    int32_t status = 0;
    char error[256] = "";
    mf_sim* sim = mf_sim_create(values.data(), static_cast<uint32_t>(values.size()), &status,
                                error, sizeof error);
    if (sim == nullptr) {
      ++refused;
      MF_EXPECT_EQ(status, MF_ERR_INVALID_ARGUMENT);
      MF_EXPECT_TRUE(std::strlen(error) > 0);
      continue;
    }
    MF_EXPECT_EQ(mf_sim_step(sim, 2), MF_OK);
    MF_EXPECT_EQ(mf_sim_check(sim, nullptr, 0), MF_OK);
    // Every book has a positive fundamental; a short buffer is refused, not overrun.
    std::vector<double> fundamentals(mf_sim_book_count(sim) + 1, -1.0);
    MF_EXPECT_EQ(mf_sim_fundamentals(sim, fundamentals.data(), mf_sim_book_count(sim) - 1),
                 MF_ERR_BUFFER_TOO_SMALL);
    MF_EXPECT_EQ(mf_sim_fundamentals(sim, nullptr, 0), MF_ERR_NULL_ARGUMENT);
    MF_EXPECT_EQ(mf_sim_fundamentals(sim, fundamentals.data(), mf_sim_book_count(sim)), MF_OK);
    for (uint32_t b = 0; b < mf_sim_book_count(sim); ++b) MF_EXPECT_TRUE(fundamentals[b] > 0);
    MF_EXPECT_EQ(fundamentals.back(), -1.0);
    mf_sim_destroy(sim);
  }
  MF_EXPECT_TRUE(refused > 50);
  int32_t status = 0;
  MF_EXPECT_TRUE(mf_sim_create(base.data(), 3, &status, nullptr, 0) == nullptr);
  MF_EXPECT_EQ(status, MF_ERR_INVALID_ARGUMENT);
}

MF_TEST(SimAbiSurvivesRandomInstructionsAndCorruptCheckpoints) {
  const std::vector<double> values = SmallSettings();
  int32_t status = 0;
  mf_sim* sim = mf_sim_create(values.data(), static_cast<uint32_t>(values.size()), &status,
                              nullptr, 0);
  MF_EXPECT_TRUE(sim != nullptr);
  if (sim == nullptr) return;
  Random random(12);
  for (int step = 0; step < 20; ++step) {
    Instruction batch[8];
    for (Instruction& instruction : batch) {
      uint64_t words[8];
      for (uint64_t& word : words) word = random.NextU64();
      std::memcpy(&instruction, words, sizeof instruction);
      instruction.agent_id = static_cast<int32_t>(random.Below(3));  // slots 0, 1 and unfunded 2
      instruction.book_id = static_cast<uint32_t>(random.Below(3));   // book 2 does not exist
      instruction.delay_ns = static_cast<int64_t>(random.Below(2'000'000'000));
    }
    char error[256];
    const int32_t submitted = mf_sim_submit(sim, batch, 8, error, sizeof error);
    MF_EXPECT_TRUE(submitted == MF_OK || submitted == MF_ERR_INVALID_ARGUMENT);
    MF_EXPECT_EQ(mf_sim_step(sim, 1), MF_OK);
    MF_EXPECT_EQ(mf_sim_check(sim, error, sizeof error), MF_OK);
  }
  uint32_t size = 0;
  MF_EXPECT_EQ(mf_sim_checkpoint_begin(sim, &size), MF_OK);
  std::vector<uint8_t> bytes(size);
  MF_EXPECT_EQ(mf_sim_checkpoint_read(sim, bytes.data(), size), MF_OK);
  for (int round = 0; round < 200; ++round) {
    std::vector<uint8_t> corrupt = bytes;
    if (random.Bernoulli(0.3)) {
      corrupt.resize(random.Below(corrupt.size()));
    } else {
      for (int flips = 0; flips < 4; ++flips) {
        corrupt[random.Below(corrupt.size())] ^= static_cast<uint8_t>(1 + random.Below(255));
      }
    }
    char error[256] = "";
    mf_sim* restored = mf_sim_restore(corrupt.data(), static_cast<uint32_t>(corrupt.size()),
                                      &status, error, sizeof error);
    if (restored == nullptr) {
      MF_EXPECT_EQ(status, MF_ERR_CORRUPT);
      MF_EXPECT_TRUE(std::strlen(error) > 0);
      continue;
    }
    // A flip the format cannot see (a balance, a price) still restores a
    // market that steps; the engine's own checks then judge it.
    mf_sim_step(restored, 1);
    mf_sim_destroy(restored);
  }
  mf_sim_destroy(sim);
}

}  // namespace
}  // namespace mf::sim
