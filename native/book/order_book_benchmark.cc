// book.native_mixed_ops: the perf.md §6 mix on one book through the C++ API —
// 60% adds resting near the touch, 30% cancels of resting orders, 10%
// crossing orders — from a fixed seed so every run does the same work.
#include <random>
#include <vector>

#include "book/order_book.h"
#include "testing/benchmark.h"

namespace mf {
namespace {

constexpr int kOperations = 2'000'000;
constexpr int64_t kMidTicks = 30'000;

std::vector<Command> MixedOperations(uint32_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int64_t> offset(1, 50);
  std::uniform_int_distribution<int64_t> lots(1, 100);
  std::vector<Command> commands;
  commands.reserve(kOperations);
  uint64_t placed = 0;
  for (int i = 0; i < kOperations; ++i) {
    const int roll = percent(random);
    const Side side = (random() & 1) != 0 ? Side::kBuy : Side::kSell;
    const int64_t sign = side == Side::kBuy ? -1 : 1;
    if (roll < 30 && placed > 0) {
      std::uniform_int_distribution<uint64_t> target(1, placed);
      commands.push_back({CommandKind::kCancel, side, 0, 1, target(random), 0, 0});
    } else if (roll < 40) {
      commands.push_back({CommandKind::kLimit, side, 0, 2, 0, kMidTicks - sign * 60, lots(random)});
      ++placed;
    } else {
      commands.push_back(
          {CommandKind::kLimit, side, 0, 1, 0, kMidTicks + sign * offset(random), lots(random)});
      ++placed;
    }
  }
  return commands;
}

MF_BENCHMARK(BookNativeMixedOps) {
  const std::vector<Command> commands = MixedOperations(7);
  std::vector<Event> events;
  events.reserve(1 << 16);
  const double rate = testing::MedianRate([&] {
    OrderBook book;
    for (const Command& command : commands) {
      book.Apply(command, events);
      if (events.size() > (1 << 15)) events.clear();
    }
    events.clear();
    return static_cast<double>(commands.size());
  });
  testing::Report("book.native_mixed_ops", rate, "ops/s");
}

}  // namespace
}  // namespace mf
