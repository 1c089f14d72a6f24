// The whole market: determinism across thread counts, checkpoint/resume,
// remote agents, and the invariants the exchange must keep under load.
#include "sim/simulation.h"

#include <cmath>
#include <cstring>

#include "testing/test.h"

namespace mf::sim {
namespace {

// A small market that still has every population: 4 books in blocks of 2.
SimParams SmallMarket(uint32_t threads) {
  SimParams params;
  params.simulation.books = 4;
  params.simulation.books_per_block = 2;
  params.simulation.threads = threads;
  params.simulation.duration_s = 3600;
  params.simulation.remote_agents = 3;
  params.init.count = 50;
  params.stylized.count = 100;
  params.hft.count = 4;
  params.noise.count = 100;
  return params;
}

std::unique_ptr<Simulation> Make(const SimParams& params) {
  std::string error;
  auto simulation = Simulation::Create(params, error);
  MF_EXPECT_EQ(error, std::string());
  return simulation;
}

// Runs `seconds` and returns every event's bytes.
std::vector<uint8_t> Run(Simulation& simulation, int seconds) {
  std::vector<uint8_t> log;
  auto drain = [&] {
    const auto events = simulation.pending_events();
    const auto* bytes = reinterpret_cast<const uint8_t*>(events.data());
    log.insert(log.end(), bytes, bytes + events.size() * sizeof(Record));
    simulation.ConsumeEvents(events.size());
  };
  drain();
  for (int i = 0; i < seconds; ++i) {
    simulation.Step();
    drain();
  }
  return log;
}

MF_TEST(SimulationTheSameSeedGivesTheSameLogWithOneThreadOrMany) {
  auto one = Make(SmallMarket(1));
  auto two = Make(SmallMarket(2));
  auto three = Make(SmallMarket(3));
  const std::vector<uint8_t> log = Run(*one, 120);
  MF_EXPECT_TRUE(log.size() > 1000 * sizeof(Record));
  MF_EXPECT_TRUE(log == Run(*two, 120));
  MF_EXPECT_TRUE(log == Run(*three, 120));
  SimParams other = SmallMarket(1);
  other.simulation.seed = 8;
  MF_EXPECT_TRUE(log != Run(*Make(other), 120));
}

MF_TEST(SimulationBooksTradeStayUncrossedAndKeepEveryInvariant) {
  auto simulation = Make(SmallMarket(2));
  size_t trades = 0;
  for (int i = 0; i < 300; ++i) {
    simulation->Step();
    for (const Record& event : simulation->pending_events()) {
      trades += event.kind == static_cast<uint8_t>(RecordKind::kTrade);
      MF_EXPECT_TRUE(event.book_id < 4);
    }
    simulation->ConsumeEvents(simulation->pending_events().size());
    for (double mid : simulation->mids()) MF_EXPECT_TRUE(std::isfinite(mid) && mid > 0);
  }
  MF_EXPECT_TRUE(trades > 100);
  MF_EXPECT_EQ(simulation->CheckInvariants(), std::string());
  MF_EXPECT_TRUE(simulation->wakeups() > 0);
  MF_EXPECT_TRUE(simulation->messages() > simulation->wakeups() / 4);
}

MF_TEST(SimulationResumesFromACheckpointExactly) {
  auto original = Make(SmallMarket(2));
  Run(*original, 90);
  const std::vector<uint8_t> bytes = original->Checkpoint();
  std::string error;
  auto restored = Simulation::Restore(bytes, error);
  MF_EXPECT_EQ(error, std::string());
  if (!restored) return;
  MF_EXPECT_EQ(restored->now_ns(), original->now_ns());
  MF_EXPECT_TRUE(Run(*original, 60) == Run(*restored, 60));
  MF_EXPECT_TRUE(restored->Checkpoint() == original->Checkpoint());
}

MF_TEST(SimulationRefusesCorruptCheckpoints) {
  auto simulation = Make(SmallMarket(1));
  Run(*simulation, 5);
  std::vector<uint8_t> bytes = simulation->Checkpoint();
  std::string error;
  MF_EXPECT_TRUE(Simulation::Restore(std::span(bytes).first(bytes.size() / 2), error) == nullptr);
  MF_EXPECT_TRUE(!error.empty());
  bytes[0] = 'X';
  MF_EXPECT_TRUE(Simulation::Restore(bytes, error) == nullptr);
  MF_EXPECT_EQ(error, std::string("not a simulation checkpoint"));
}

MF_TEST(SimulationRemoteAgentsGetSeededCapitalTradeAndReset) {
  auto simulation = Make(SmallMarket(2));
  Run(*simulation, 30);
  const Account* account = simulation->FindAccount(1, 3);
  MF_EXPECT_TRUE(account != nullptr);
  if (!account) return;
  // τaos §2.6: worth 50 000 quote at 300, at least half of it in quote.
  const double quote = static_cast<double>(account->quote.free) / 1e6;
  const double base = static_cast<double>(account->base.free) / 1e4;
  MF_EXPECT_TRUE(std::fabs(quote + base * 300 - 50'000) < 1);
  MF_EXPECT_TRUE(quote >= 25'000 - 1);

  Instruction buy{};
  buy.kind = static_cast<uint8_t>(InstructionKind::kPlaceLimit);
  buy.side = 0;
  buy.book_id = 3;
  buy.agent_id = 1;
  buy.price = 100'000'000;  // 1.00: rests far below the market
  buy.quantity = 100'000'000;
  buy.delay_ns = 10'000'000;
  MF_EXPECT_EQ(simulation->Submit(buy), std::string());
  simulation->Step();
  MF_EXPECT_EQ(simulation->FindAccount(1, 3)->open_orders, 1u);
  bool accepted = false;
  for (const Record& notice : simulation->pending_notices()) {
    accepted |= notice.kind == static_cast<uint8_t>(RecordKind::kAccepted) &&
                notice.recipient_agent_id == 1 && notice.book_id == 3;
    MF_EXPECT_TRUE(notice.recipient_agent_id >= 0);
  }
  MF_EXPECT_TRUE(accepted);

  MF_EXPECT_EQ(simulation->ResetAgent(1), std::string());
  MF_EXPECT_EQ(simulation->FindAccount(1, 3)->open_orders, 0u);
  MF_EXPECT_TRUE(!simulation->ResetAgent(3).empty());  // slots are 0..2
  MF_EXPECT_EQ(simulation->CheckInvariants(), std::string());
}

}  // namespace
}  // namespace mf::sim
