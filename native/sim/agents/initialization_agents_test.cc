#include "sim/agents/initialization_agents.h"

#include <map>

#include "sim/agents/internal/test_context.h"
#include "testing/test.h"

namespace mf::sim {
namespace {

using internal::TestContext;

MF_TEST(InitializationAgentsSeedBidsBelowAndAsksAboveTheInitialPrice) {
  SimParams params = internal::NoAgents();
  params.init.count = 500;
  TestContext context(params, 1);
  context.Start();
  context.RunUntil(TestContext::kSecondNs);

  MF_EXPECT_TRUE(context.rejections().empty());
  MF_EXPECT_TRUE(context.deposit_errors().empty());
  const int64_t initial_ticks = 30'000;  // 300.00 at two decimals
  const OrderBook& book = context.book(0);
  MF_EXPECT_TRUE(book.LevelCount(Side::kBuy) > 1000);
  MF_EXPECT_TRUE(book.LevelCount(Side::kSell) > 1000);
  MF_EXPECT_TRUE(*book.BestPrice(Side::kBuy) < initial_ticks);
  MF_EXPECT_TRUE(*book.BestPrice(Side::kSell) > initial_ticks);
  MF_EXPECT_TRUE(book.LevelAt(Side::kSell, book.LevelCount(Side::kSell) - 1).price_ticks <=
                 2 * initial_ticks);
  // Every order rests: nothing crossed, everything on the grid.
  MF_EXPECT_EQ(book.RestingOrderCount(), context.submissions().size());
  std::map<int32_t, int> orders_per_agent;
  for (const Instruction& order : context.submissions()) {
    MF_EXPECT_TRUE(internal::OnGrid(order, context.book_config()));
    MF_EXPECT_EQ(order.time_in_force, static_cast<uint8_t>(TimeInForce::kGtt));
    MF_EXPECT_EQ(order.expiry_ns, int64_t{86'400} * TestContext::kSecondNs);
    ++orders_per_agent[order.agent_id];
  }
  MF_EXPECT_EQ(orders_per_agent.size(), size_t{500});
  for (const auto& [agent, orders] : orders_per_agent) MF_EXPECT_TRUE(orders < 98);
}

MF_TEST(InitializationAgentsOpenAccountsWithTheirCapitalAndSpendIt) {
  SimParams params = internal::NoAgents();
  params.init.count = 20;
  TestContext context(params, 2);
  context.Start();
  context.RunUntil(TestContext::kSecondNs);
  auto& agents =
      static_cast<InitializationAgents&>(context.population(PopulationKind::kInitialization));
  for (uint32_t i = 0; i < agents.size(); ++i) {
    const Account* account = context.account(agents.agent_id(i), 0);
    MF_EXPECT_TRUE(account != nullptr);
    MF_EXPECT_EQ(account->base.total(), int64_t{100 * 10'000});
    MF_EXPECT_EQ(account->quote.total(), int64_t{30'000} * 1'000'000);
    // Almost all of both balances is put to work.
    MF_EXPECT_TRUE(account->base.free < 10'000 * 5);
    MF_EXPECT_TRUE(account->quote.free < int64_t{300} * 1'000'000 * 5);
  }
}

MF_TEST(InitializationOrdersLeaveTheBookAfterTheirLife) {
  SimParams params = internal::NoAgents();
  params.init.count = 10;
  params.init.life_s = 5;
  TestContext context(params, 3);
  context.Start();
  context.RunUntil(4 * TestContext::kSecondNs);
  MF_EXPECT_TRUE(context.book(0).RestingOrderCount() > 0);
  context.RunUntil(6 * TestContext::kSecondNs);
  MF_EXPECT_EQ(context.book(0).RestingOrderCount(), size_t{0});
}

}  // namespace
}  // namespace mf::sim
