// Drives the C ABI with arbitrary bytes: shared by the seeded fuzz test
// (marketforge_fuzz_test.cc) and the optional libFuzzer target
// (marketforge_fuzzer.cc). Every call must return a status, never crash, and
// leave the engine's invariants intact (mf_engine_check).
#ifndef MARKETFORGE_ABI_MARKETFORGE_FUZZ_H_
#define MARKETFORGE_ABI_MARKETFORGE_FUZZ_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace mf::testing {

// Interprets `data` as a script of ABI calls (deposits, raw and mutated
// instruction records, steps, reads with odd capacities, depth and account
// queries, checkpoint round trips and restores of mutated checkpoints) on a
// fresh engine. Returns an empty string, or the broken invariant.
std::string RunAbiScript(const uint8_t* data, size_t size);

}  // namespace mf::testing

#endif  // MARKETFORGE_ABI_MARKETFORGE_FUZZ_H_
