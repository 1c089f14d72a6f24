#include "sim/agents/algorithmic_traders.h"

#include "sim/agents/internal/test_context.h"
#include "testing/test.h"

namespace mf::sim {
namespace {

using internal::TestContext;

constexpr uint8_t kAlgorithmic = static_cast<uint8_t>(PopulationKind::kAlgorithmic);

SimParams AlgoOnASeededBook() {
  SimParams params = internal::NoAgents();
  params.init.count = 200;
  params.algo.count = 1;
  return params;
}

MF_TEST(AlgoTraderTakesTheTouchTowardAHigherFundamentalWhenTheBookIsDeep) {
  SimParams params = AlgoOnASeededBook();
  params.algo.depth_trigger = 1;  // always deep enough
  TestContext context(params, 41);
  context.set_fundamental(0, params.book.initial_price * 1.1);
  int slices = 0;
  int64_t touch_lots = 0;
  context.before_wake = [&](const TestContext::WakeRecord& wake) {
    if (wake.population != kAlgorithmic) return;
    touch_lots = context.book(0).LevelAt(Side::kSell, 0).total_lots;
  };
  context.after_wake = [&](const TestContext::WakeRecord& wake,
                           std::span<const Instruction> orders) {
    if (wake.population != kAlgorithmic) return;
    for (const Instruction& order : orders) {
      MF_EXPECT_EQ(order.kind, static_cast<uint8_t>(InstructionKind::kPlaceMarket));
      MF_EXPECT_EQ(order.side, static_cast<uint8_t>(Side::kBuy));
      MF_EXPECT_EQ(order.quantity, touch_lots * 10'000);  // lots → wire units
      ++slices;
    }
  };
  context.Start();
  context.RunUntil(300 * TestContext::kSecondNs);
  MF_EXPECT_TRUE(slices >= 25);
  MF_EXPECT_TRUE(context.rejections().empty());
}

MF_TEST(AlgoTraderSlicesAMetaOrderOverSeveralWakes) {
  SimParams params = AlgoOnASeededBook();
  params.algo.depth_trigger = 1e12;  // never at once
  params.algo.deviation_coef = 1e6;  // any gap to the fundamental counts fully
  params.algo.midpoint = 10;         // any volatility is calm
  params.algo.meta_scale = 400;
  params.algo.size_mu = 0;
  TestContext context(params, 42);
  context.set_fundamental(0, params.book.initial_price * 0.9);
  auto& algo = static_cast<AlgorithmicTraders&>(context.population(PopulationKind::kAlgorithmic));
  int slices = 0;
  int slices_while_executing = 0;
  int64_t sold_lots = 0;
  context.after_wake = [&](const TestContext::WakeRecord& wake,
                           std::span<const Instruction> orders) {
    if (wake.population != kAlgorithmic) return;
    for (const Instruction& order : orders) {
      MF_EXPECT_EQ(order.side, static_cast<uint8_t>(Side::kSell));
      sold_lots += order.quantity / 10'000;
      ++slices;
      if (algo.trader(0, 0).executing != 0) ++slices_while_executing;
    }
  };
  context.Start();
  context.RunUntil(1800 * TestContext::kSecondNs);
  MF_EXPECT_TRUE(slices >= 3);
  MF_EXPECT_TRUE(slices_while_executing >= 1);  // a meta order took more than one wake
  MF_EXPECT_TRUE(context.rejections().empty());
}

MF_TEST(AlgoTraderWakesEveryPeriodPlusFeedLatency) {
  SimParams params = AlgoOnASeededBook();
  TestContext context(params, 43);
  context.Start();
  context.RunUntil(600 * TestContext::kSecondNs);
  int64_t previous = -1;
  int wakes = 0;
  for (const TestContext::WakeRecord& wake : context.wake_log()) {
    if (wake.population != kAlgorithmic) continue;
    ++wakes;
    if (previous >= 0) {
      MF_EXPECT_TRUE(wake.time_ns - previous >= 10 * TestContext::kSecondNs);
      MF_EXPECT_TRUE(wake.time_ns - previous <= 10 * TestContext::kSecondNs + 175'000'000);
    }
    previous = wake.time_ns;
  }
  MF_EXPECT_TRUE(wakes >= 58);
}

}  // namespace
}  // namespace mf::sim
