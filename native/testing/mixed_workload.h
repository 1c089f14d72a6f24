// The perf.md §6 benchmark mix, generated once for the book and exchange
// benchmarks so both measure the same work: 60% adds resting near the touch,
// 30% cancels of a uniformly random earlier order, 10% crossing orders, from
// a fixed seed.
#ifndef MARKETFORGE_TESTING_MIXED_WORKLOAD_H_
#define MARKETFORGE_TESTING_MIXED_WORKLOAD_H_

#include <cstdint>
#include <random>
#include <vector>

#include "book/order_book.h"

namespace mf::testing {

struct MixedOperation {
  bool cancel;
  Side side;
  int32_t agent_id;
  uint64_t order_id;  // cancels: a uniformly random earlier order, maybe gone
  int64_t price_ticks;
  int64_t quantity_lots;
};

inline constexpr int64_t kMixedMidTicks = 30'000;

inline std::vector<MixedOperation> MixedWorkload(uint32_t seed, int operations) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int64_t> offset(1, 50);
  std::uniform_int_distribution<int64_t> lots(1, 100);
  std::vector<MixedOperation> workload;
  workload.reserve(operations);
  uint64_t placed = 0;
  for (int i = 0; i < operations; ++i) {
    const int roll = percent(random);
    const Side side = (random() & 1) != 0 ? Side::kBuy : Side::kSell;
    const int64_t sign = side == Side::kBuy ? -1 : 1;
    if (roll < 30 && placed > 0) {
      std::uniform_int_distribution<uint64_t> target(1, placed);
      workload.push_back({true, side, 1, target(random), 0, 0});
    } else if (roll < 40) {
      // Crossing: agent 2 sweeps through the touch from 60 ticks beyond it.
      workload.push_back({false, side, 2, 0, kMixedMidTicks - sign * 60, lots(random)});
      ++placed;
    } else {
      workload.push_back({false, side, 1, 0, kMixedMidTicks + sign * offset(random), lots(random)});
      ++placed;
    }
  }
  return workload;
}

}  // namespace mf::testing

#endif  // MARKETFORGE_TESTING_MIXED_WORKLOAD_H_
