// libFuzzer entry point over the same ABI script as the seeded fuzz test.
// Build (off by default, needs clang):
//   cmake -S native -B build/fuzz -DCMAKE_CXX_COMPILER=clang++ -DMARKETFORGE_FUZZER=ON
//   cmake --build build/fuzz --target marketforge_fuzzer && build/fuzz/marketforge_fuzzer
#include <cstdlib>
#include <cstdio>

#include "abi/marketforge_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string broken = mf::testing::RunAbiScript(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
