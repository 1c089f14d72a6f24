#include "sim/agents/noise_traders.h"

#include "sim/agents/internal/test_context.h"
#include "testing/test.h"

namespace mf::sim {
namespace {

using internal::TestContext;

constexpr uint8_t kNoise = static_cast<uint8_t>(PopulationKind::kNoise);

SimParams NoiseOnASeededBook() {
  SimParams params = internal::NoAgents();
  params.init.count = 200;
  params.noise.count = 1024;
  return params;
}

MF_TEST(NoiseTradersOpenAccountsWithParetoWealthWithinItsBounds) {
  SimParams params = NoiseOnASeededBook();
  TestContext context(params, 31);
  context.Start();
  auto& traders = static_cast<NoiseTraders&>(context.population(PopulationKind::kNoise));
  int at_floor_decile = 0;
  for (uint32_t i = 0; i < traders.size(); ++i) {
    const Account* account = context.account(traders.agent_id(i), 0);
    MF_EXPECT_TRUE(account != nullptr);
    const double wealth = static_cast<double>(account->base.total()) * 1e-4 * 300.0 +
                          static_cast<double>(account->quote.total()) * 1e-6;
    MF_EXPECT_TRUE(wealth >= params.noise.wealth_min - 0.1);
    MF_EXPECT_TRUE(wealth <= params.noise.wealth_max + 0.1);
    if (wealth < 2 * params.noise.wealth_min) ++at_floor_decile;
  }
  // Pareto(1.16): P(W < 2·floor) = 1 − 2^−1.16 ≈ 0.55.
  MF_EXPECT_TRUE(at_floor_decile > 450 && at_floor_decile < 680);
}

MF_TEST(NoiseWakeUpsFollowOneChainWithinTheClamps) {
  SimParams params = NoiseOnASeededBook();
  params.noise.chains = 1;
  TestContext context(params, 32);
  context.Start();
  context.RunUntil(4 * 3600 * TestContext::kSecondNs);
  int64_t previous = -1;
  int wakes = 0;
  for (const TestContext::WakeRecord& wake : context.wake_log()) {
    if (wake.population != kNoise) continue;
    ++wakes;
    if (previous >= 0) {
      MF_EXPECT_TRUE(wake.time_ns - previous >= 30 * TestContext::kSecondNs);
      MF_EXPECT_TRUE(wake.time_ns - previous <= 600 * TestContext::kSecondNs);
    }
    previous = wake.time_ns;
  }
  MF_EXPECT_TRUE(wakes > 100);
}

MF_TEST(NoiseTradersFollowTheirSpinAndTheField) {
  SimParams params = NoiseOnASeededBook();
  params.noise.chains = 32;
  TestContext context(params, 33);
  int spin = 0;
  double magnetization = 0;
  int market_orders = 0;
  int limit_orders = 0;
  int limit_orders_with_spin = 0;
  context.before_wake = [&](const TestContext::WakeRecord& wake) {
    if (wake.population != kNoise) return;
    spin = context.field(0).Spin(wake.index);
    magnetization = context.field(0).magnetization();
  };
  context.after_wake = [&](const TestContext::WakeRecord& wake,
                           std::span<const Instruction> orders) {
    if (wake.population != kNoise) return;
    for (const Instruction& order : orders) {
      const uint8_t with_spin = static_cast<uint8_t>(spin > 0 ? Side::kBuy : Side::kSell);
      if (order.kind == static_cast<uint8_t>(InstructionKind::kPlaceMarket)) {
        // Market orders only herd: the spin agrees with the field and sets the side.
        MF_EXPECT_TRUE(spin * magnetization > 0);
        MF_EXPECT_EQ(order.side, with_spin);
        ++market_orders;
      } else {
        ++limit_orders;
        if (order.side == with_spin) ++limit_orders_with_spin;
      }
    }
  };
  context.Start();
  context.RunUntil(2 * 3600 * TestContext::kSecondNs);
  MF_EXPECT_TRUE(market_orders > 20);
  MF_EXPECT_TRUE(limit_orders > 200);
  // The Beta draw's mode leans to the spin's side (τaos: mildly; ≈ 56 %
  // here, 6 standard errors above a coin).
  MF_EXPECT_TRUE(limit_orders_with_spin * 100 > limit_orders * 53);
  MF_EXPECT_TRUE(context.rejections().empty());
  for (const Instruction& order : context.submissions()) {
    MF_EXPECT_TRUE(internal::OnGrid(order, context.book_config()));
  }
}

}  // namespace
}  // namespace mf::sim
