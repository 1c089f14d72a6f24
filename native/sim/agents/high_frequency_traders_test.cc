#include "sim/agents/high_frequency_traders.h"

#include <map>

#include "sim/agents/internal/test_context.h"
#include "testing/test.h"

namespace mf::sim {
namespace {

using internal::TestContext;

constexpr uint8_t kHighFrequency = static_cast<uint8_t>(PopulationKind::kHighFrequency);

SimParams MakersOnASeededBook() {
  SimParams params = internal::NoAgents();
  params.init.count = 200;
  params.hft.count = 20;
  params.stylized.count = 300;  // some flow that moves their inventory
  params.stylized.chains = 10;
  return params;
}

MF_TEST(HftAccountsOpenWithTheirCapital) {
  TestContext context(MakersOnASeededBook(), 21);
  context.Start();
  auto& makers =
      static_cast<HighFrequencyTraders&>(context.population(PopulationKind::kHighFrequency));
  for (uint32_t i = 0; i < makers.size(); ++i) {
    const Account* account = context.account(makers.agent_id(i), 0);
    MF_EXPECT_TRUE(account != nullptr);
    MF_EXPECT_EQ(account->base.total(), int64_t{500} * 10'000);
    MF_EXPECT_EQ(account->quote.total(), int64_t{150'000} * 1'000'000);
  }
}

MF_TEST(HftQuotesStraddleTheReservationPrice) {
  TestContext context(MakersOnASeededBook(), 22);
  auto& makers =
      static_cast<HighFrequencyTraders&>(context.population(PopulationKind::kHighFrequency));
  int bids = 0;
  int asks = 0;
  context.after_wake = [&](const TestContext::WakeRecord& wake,
                           std::span<const Instruction> orders) {
    if (wake.population != kHighFrequency) return;
    const double reservation = makers.maker(0, wake.index).reservation_price;
    for (const Instruction& order : orders) {
      if (order.kind != static_cast<uint8_t>(InstructionKind::kPlaceLimit)) continue;
      const double price = static_cast<double>(order.price) * 1e-8;
      if (order.side == static_cast<uint8_t>(Side::kBuy)) {
        MF_EXPECT_TRUE(price < reservation);
        ++bids;
      } else {
        MF_EXPECT_TRUE(price > reservation);
        ++asks;
      }
    }
  };
  context.Start();
  context.RunUntil(600 * TestContext::kSecondNs);
  MF_EXPECT_TRUE(bids > 1000);
  MF_EXPECT_TRUE(asks > 1000);
  MF_EXPECT_TRUE(context.rejections().empty());
}

MF_TEST(HftRequotePeriodsAndQuoteLivesFollowTheirClamps) {
  SimParams params = MakersOnASeededBook();
  TestContext context(params, 23);
  std::map<uint32_t, int64_t> last_wake;
  int64_t shortest = INT64_MAX;
  int64_t longest = 0;
  context.after_wake = [&](const TestContext::WakeRecord& wake,
                           std::span<const Instruction> orders) {
    if (wake.population != kHighFrequency) return;
    if (last_wake.count(wake.index) != 0 && wake.time_ns > TestContext::kSecondNs) {
      const int64_t gap = wake.time_ns - last_wake[wake.index];
      shortest = std::min(shortest, gap);
      longest = std::max(longest, gap);
    }
    last_wake[wake.index] = wake.time_ns;
    for (const Instruction& order : orders) {
      if (order.kind != static_cast<uint8_t>(InstructionKind::kPlaceLimit)) continue;
      // Two requote periods: within 2 × [feed latency, 1.34 δ].
      MF_EXPECT_TRUE(order.expiry_ns >= 200'000'000);
      MF_EXPECT_TRUE(order.expiry_ns <= 2 * 1'005'000'000);
      MF_EXPECT_TRUE(order.delay_ns >= 101'000'000 && order.delay_ns <= 150'000'000);
    }
  };
  context.Start();
  context.RunUntil(300 * TestContext::kSecondNs);
  // Never faster than feed + order latency (150 ms), never slower than 1.34 δ.
  MF_EXPECT_TRUE(shortest >= 150'000'000);
  MF_EXPECT_TRUE(longest <= 1'005'000'000);
}

MF_TEST(HftReservationPriceLeansAgainstInventory) {
  // A maker long base centres its quotes below the mid, one short above it.
  SimParams params = MakersOnASeededBook();
  params.noise.count = 1024;  // herding market orders fill the makers' quotes
  params.noise.chains = 64;
  TestContext context(params, 24);
  auto& makers =
      static_cast<HighFrequencyTraders&>(context.population(PopulationKind::kHighFrequency));
  int long_checked = 0;
  int short_checked = 0;
  context.after_wake = [&](const TestContext::WakeRecord& wake, std::span<const Instruction>) {
    if (wake.population != kHighFrequency) return;
    const Account* account = context.account(makers.agent_id(wake.index), 0);
    const int64_t inventory = account->base.total() - makers.maker(0, wake.index).initial_base_lots;
    const double reservation = makers.maker(0, wake.index).reservation_price;
    const double mid = context.mid(0);
    if (std::isnan(mid)) return;
    if (inventory > 0) {
      MF_EXPECT_TRUE(reservation < mid);
      ++long_checked;
    } else if (inventory < 0) {
      MF_EXPECT_TRUE(reservation > mid);
      ++short_checked;
    }
  };
  context.Start();
  context.RunUntil(600 * TestContext::kSecondNs);
  MF_EXPECT_TRUE(long_checked > 100);
  MF_EXPECT_TRUE(short_checked > 100);
}

}  // namespace
}  // namespace mf::sim
