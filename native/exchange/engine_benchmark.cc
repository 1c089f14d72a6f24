// exchange.native_mixed_ops: the same mix as book.native_mixed_ops (60% adds,
// 30% cancels, 10% crossing orders) through the whole exchange — scheduler,
// validation, reservations, fees, settlement, L3 events and notices — in
// batches of 1 000 instructions per step, records drained after each step.
#include <random>
#include <vector>

#include "exchange/engine.h"
#include "exchange/engine_test_util.h"
#include "testing/benchmark.h"

namespace mf {
namespace {

constexpr int kOperations = 1'000'000;
constexpr int kBatch = 1'000;
constexpr int64_t kMidTicks = 30'000;

std::vector<Instruction> MixedInstructions(uint32_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int64_t> offset(1, 50);
  std::uniform_int_distribution<int64_t> lots(1, 100);
  std::vector<Instruction> instructions;
  instructions.reserve(kOperations);
  uint64_t placed = 0;
  for (int i = 0; i < kOperations; ++i) {
    const int roll = percent(random);
    const Side side = (random() & 1) != 0 ? Side::kBuy : Side::kSell;
    const int64_t sign = side == Side::kBuy ? -1 : 1;
    if (roll < 30 && placed > 0) {
      std::uniform_int_distribution<uint64_t> target(1, placed);
      instructions.push_back(testing::CancelOrder(1, target(random)));
    } else if (roll < 40) {
      instructions.push_back(testing::Limit(2, side, kMidTicks - sign * 60, lots(random)));
      ++placed;
    } else {
      instructions.push_back(testing::Limit(1, side, kMidTicks + sign * offset(random), lots(random)));
      ++placed;
    }
  }
  return instructions;
}

MF_BENCHMARK(ExchangeNativeMixedOps) {
  const std::vector<Instruction> instructions = MixedInstructions(7);
  BookConfig config = testing::TestConfig();
  config.max_open_orders = 0;
  config.taker_rate = 230'000;
  const double rate = testing::MedianRate(
      [&] {
        Engine engine = testing::FundedEngine(2, int64_t{1} << 50, int64_t{1} << 50, 1, config);
        for (size_t first = 0; first < instructions.size(); first += kBatch) {
          for (size_t i = first; i < first + kBatch && i < instructions.size(); ++i) {
            engine.Submit(instructions[i]);
          }
          engine.Step(engine.now_ns() + 1);
          engine.ConsumeEvents(engine.pending_events().size());
          engine.ConsumeNotices(engine.pending_notices().size());
        }
        return static_cast<double>(instructions.size());
      },
      3);
  testing::Report("exchange.native_mixed_ops", rate, "ops/s");
}

}  // namespace
}  // namespace mf
