#include "sim/agents/internal/agent_support.h"

#include <cmath>

#include "sim/agents/internal/test_context.h"
#include "testing/test.h"

namespace mf::sim::internal {
namespace {

MF_TEST(LambertWSolvesWTimesExpW) {
  MF_EXPECT_EQ(LambertW0(0), 0.0);
  for (double x : {1e-12, 1e-6, 2e-3, 0.5, 1.0, std::exp(1.0), 3.0, 50.0, 1e6, 1e12}) {
    const double w = LambertW0(x);
    MF_EXPECT_TRUE(std::fabs(w * std::exp(w) - x) <= 1e-12 * x);
  }
}

MF_TEST(GammaAndBetaDrawsHaveTheirMeans) {
  Random random(5);
  double gamma_sum = 0;
  double beta_sum = 0;
  constexpr int kDraws = 200'000;
  for (int i = 0; i < kDraws; ++i) {
    gamma_sum += GammaDraw(random, 2.5);
    beta_sum += BetaDraw(random, 1.5, 4.5);
  }
  MF_EXPECT_TRUE(std::fabs(gamma_sum / kDraws - 2.5) < 0.02);
  MF_EXPECT_TRUE(std::fabs(beta_sum / kDraws - 0.25) < 0.003);
}

MF_TEST(GridRoundsToTicksAndLotsAndKeepsBuysAffordable) {
  BookGrid grid;
  grid.Init(SimulatedBookConfig(BookParams{}));
  MF_EXPECT_EQ(grid.NearestTicks(300.004), int64_t{30'000});
  MF_EXPECT_EQ(grid.NearestTicks(300.006), int64_t{30'001});
  MF_EXPECT_EQ(grid.NearestTicks(0.004), int64_t{0});
  MF_EXPECT_EQ(grid.FloorLots(1.23456), int64_t{12'345});
  MF_EXPECT_EQ(grid.FloorLots(-1), int64_t{0});
  MF_EXPECT_EQ(grid.min_lots(), int64_t{2'500});
  const Instruction limit = grid.Limit(-7, 0, Side::kBuy, 30'001, 12'345, 5, 10);
  MF_EXPECT_EQ(limit.price, int64_t{30'001} * 1'000'000);
  MF_EXPECT_EQ(limit.quantity, int64_t{12'345} * 10'000);
  // What the agent may reserve never exceeds its free quote, fees included.
  for (int64_t free_quote :
       {int64_t{1}, int64_t{29'999}, int64_t{123'456'789}, int64_t{30'000'000'000}}) {
    const int64_t lots = grid.AffordableLots(free_quote, 30'000);
    MF_EXPECT_TRUE(grid.BuyReservation(30'000, lots) <= free_quote);
    MF_EXPECT_TRUE(grid.BuyReservation(30'000, lots + 2) > free_quote);
  }
}

MF_TEST(AcdDurationsStayWithinTheirClampsAndChainsPickTheirMembers) {
  Random random(9);
  AcdModel model{4.61, 0.15, 0.65, 2'000'000'000, 600'000'000'000};
  AcdClock clock = StartAcd(model);
  double log_sum = 0;
  for (int i = 0; i < 10'000; ++i) {
    const int64_t duration = NextAcdDuration(clock, model, 0.0, random);
    MF_EXPECT_TRUE(duration >= model.min_ns && duration <= model.max_ns);
    log_sum += std::log(static_cast<double>(duration));
  }
  // ψ settles near (ω − 0.577·α)/(1 − α − β) ≈ 22.6, i.e. durations of seconds.
  MF_EXPECT_TRUE(log_sum / 10'000 > 21.5 && log_sum / 10'000 < 23.5);
  for (int i = 0; i < 1000; ++i) {
    const uint32_t agent = PickInChain(random, 3, 7, 1000);
    MF_EXPECT_EQ(agent % 7, 3u);
    MF_EXPECT_TRUE(agent < 1000);
  }
}

MF_TEST(NewReturnsAreVisitedOnceOldestFirst) {
  PriceHistory history(64);
  uint64_t seen = 0;
  history.Add(100);
  std::vector<double> visited;
  const auto visit = [&](double r) { visited.push_back(r); };
  ForEachNewReturn(history, seen, 1024, visit);
  MF_EXPECT_TRUE(visited.empty());
  history.Add(101);
  history.Add(99);
  history.Add(102);
  ForEachNewReturn(history, seen, 1024, visit);
  MF_EXPECT_EQ(visited.size(), size_t{3});
  MF_EXPECT_TRUE(std::fabs(visited[0] - std::log(101.0 / 100.0)) < 1e-12);
  MF_EXPECT_TRUE(std::fabs(visited[2] - std::log(102.0 / 99.0)) < 1e-12);
  ForEachNewReturn(history, seen, 1024, visit);
  MF_EXPECT_EQ(visited.size(), size_t{3});
}

}  // namespace
}  // namespace mf::sim::internal
