#include "sim/agents/stylized_traders.h"

#include <cmath>

#include "sim/agents/internal/test_context.h"
#include "testing/test.h"

namespace mf::sim {
namespace {

using internal::TestContext;

constexpr uint8_t kStylized = static_cast<uint8_t>(PopulationKind::kStylized);

SimParams SeededMarket() {
  SimParams params = internal::NoAgents();
  params.init.count = 200;
  params.stylized.count = 1000;
  return params;
}

MF_TEST(StylizedTradersOpenAccountsWorthTheirWealthHalfInBase) {
  SimParams params = SeededMarket();
  TestContext context(params, 11);
  context.Start();
  auto& traders = static_cast<StylizedTraders&>(context.population(PopulationKind::kStylized));
  for (uint32_t i = 0; i < traders.size(); ++i) {
    const Account* account = context.account(traders.agent_id(i), 0);
    MF_EXPECT_TRUE(account != nullptr);
    const double base = static_cast<double>(account->base.total()) * 1e-4;
    const double quote = static_cast<double>(account->quote.total()) * 1e-6;
    const double wealth = base * params.book.initial_price + quote;
    MF_EXPECT_TRUE(wealth >= params.stylized.wealth_min - 0.1);
    MF_EXPECT_TRUE(wealth <= params.stylized.wealth_max + 0.1);
    MF_EXPECT_TRUE(std::fabs(base * params.book.initial_price - quote) < 0.1);
  }
}

MF_TEST(StylizedTraitsStayWithinTausClamps) {
  SimParams params = SeededMarket();
  TestContext context(params, 12);
  context.Start();
  auto& traders = static_cast<StylizedTraders&>(context.population(PopulationKind::kStylized));
  for (uint32_t i = 0; i < traders.size(); ++i) {
    const StylizedTraders::Trader& trader = traders.trader(0, i);
    MF_EXPECT_TRUE(trader.history_s >= 10 && trader.history_s <= 1000);
    MF_EXPECT_TRUE(trader.horizon_s >= 1 && trader.horizon_s <= 3600 * std::log(1000.0) + 1e-9);
    const double total = trader.fundamental_weight + trader.chartist_weight + trader.noise_weight;
    MF_EXPECT_TRUE(std::fabs(total - 1.0) < 1e-12);
    MF_EXPECT_TRUE(trader.risk_aversion > 0);
  }
}

MF_TEST(StylizedWakeUpsFollowOneChainWithinTheClamps) {
  SimParams params = SeededMarket();
  params.stylized.chains = 1;
  TestContext context(params, 13);
  context.Start();
  context.RunUntil(3600 * TestContext::kSecondNs);
  int64_t previous = -1;
  int wakes = 0;
  for (const TestContext::WakeRecord& wake : context.wake_log()) {
    if (wake.population != kStylized) continue;
    ++wakes;
    if (previous >= 0) {
      const int64_t gap = wake.time_ns - previous;
      MF_EXPECT_TRUE(gap >= 2 * TestContext::kSecondNs);
      MF_EXPECT_TRUE(gap <= 600 * TestContext::kSecondNs);
    }
    previous = wake.time_ns;
  }
  // One chain of mean ≈ 7 s (ψ ≈ (ω − 0.58α)/(1 − α − β) in log ns).
  MF_EXPECT_TRUE(wakes > 200 && wakes < 1500);
}

MF_TEST(StylizedOrdersAreOnTheGridAndNeverRejected) {
  SimParams params = SeededMarket();
  params.stylized.chains = 20;  // more decisions per simulated second
  TestContext context(params, 14);
  context.Start();
  context.RunUntil(1800 * TestContext::kSecondNs);
  MF_EXPECT_TRUE(context.rejections().empty());
  int stylized_orders = 0;
  for (const Instruction& order : context.submissions()) {
    MF_EXPECT_TRUE(internal::OnGrid(order, context.book_config()));
    if (order.agent_id <= -201) ++stylized_orders;
  }
  MF_EXPECT_TRUE(stylized_orders > 1000);
  MF_EXPECT_EQ(context.engine().CheckInvariants(), std::string());
}

// Mean limit price of the stylized traders' orders on `side` when the
// fundamental sits at `ratio` × the initial price.
double MeanStylizedLimitPrice(double ratio, Side side) {
  SimParams params = SeededMarket();
  params.stylized.sigma_c = 0.01;  // fundamentalists
  params.stylized.sigma_n = 0.01;
  params.stylized.chains = 20;
  TestContext context(params, 15);
  context.set_fundamental(0, params.book.initial_price * ratio);
  context.Start();
  context.RunUntil(600 * TestContext::kSecondNs);
  double sum = 0;
  int orders = 0;
  for (const Instruction& order : context.submissions()) {
    if (order.agent_id > -201 || order.side != static_cast<uint8_t>(side) ||
        order.kind != static_cast<uint8_t>(InstructionKind::kPlaceLimit)) {
      continue;
    }
    sum += static_cast<double>(order.price) * 1e-8;
    ++orders;
  }
  MF_EXPECT_TRUE(orders > 500);
  return sum / orders;
}

MF_TEST(StylizedFundamentalistsPriceTheirOrdersTowardTheFundamental) {
  // Both sides of a fundamentalist's orders sit near its forecast p̂: with
  // the fundamental above the market it bids and offers above the market,
  // below it under the market (τaos samples both in [min, p̂]).
  MF_EXPECT_TRUE(MeanStylizedLimitPrice(1.05, Side::kSell) > 300 * 1.03);
  MF_EXPECT_TRUE(MeanStylizedLimitPrice(0.95, Side::kBuy) < 300 * 0.97);
  MF_EXPECT_TRUE(MeanStylizedLimitPrice(1.05, Side::kBuy) > 300 * 1.01);
  MF_EXPECT_TRUE(MeanStylizedLimitPrice(0.95, Side::kSell) < 300 * 0.99);
}

}  // namespace
}  // namespace mf::sim
