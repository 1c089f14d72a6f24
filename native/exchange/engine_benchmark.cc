// exchange.native_mixed_ops: the same mix as book.native_mixed_ops (60% adds,
// 30% cancels, 10% crossing orders) through the whole exchange — scheduler,
// validation, reservations, fees, settlement, L3 events and notices — in
// batches of 1 000 instructions per step, records drained after each step.
#include <vector>

#include "exchange/engine.h"
#include "exchange/engine_test_util.h"
#include "testing/benchmark.h"
#include "testing/mixed_workload.h"

namespace mf {
namespace {

constexpr int kOperations = 1'000'000;
constexpr int kBatch = 1'000;

std::vector<Instruction> MixedInstructions(uint32_t seed) {
  std::vector<Instruction> instructions;
  instructions.reserve(kOperations);
  for (const testing::MixedOperation& operation : testing::MixedWorkload(seed, kOperations)) {
    instructions.push_back(
        operation.cancel
            ? testing::CancelOrder(operation.agent_id, operation.order_id)
            : testing::Limit(operation.agent_id, operation.side, operation.price_ticks,
                             operation.quantity_lots));
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
