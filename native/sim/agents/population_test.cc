#include "sim/agents/population.h"

#include <cstring>
#include <vector>

#include "sim/agents/internal/test_context.h"
#include "testing/test.h"

namespace mf::sim {
namespace {

using internal::TestContext;

bool SameRecords(std::span<const Record> a, std::span<const Record> b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(Record)) == 0);
}

MF_TEST(MakePopulationSizesEachKindFromTheConfig) {
  const SimParams params;
  MF_EXPECT_EQ(MakePopulation(PopulationKind::kInitialization, params, -1)->size(), 500u);
  MF_EXPECT_EQ(MakePopulation(PopulationKind::kStylized, params, -501)->size(), 1000u);
  MF_EXPECT_EQ(MakePopulation(PopulationKind::kHighFrequency, params, -1501)->size(), 20u);
  MF_EXPECT_EQ(MakePopulation(PopulationKind::kNoise, params, -1521)->size(), 1024u);
  MF_EXPECT_EQ(MakePopulation(PopulationKind::kAlgorithmic, params, -2545)->size(), 1u);
}

MF_TEST(TheFullMarketTradesOnTheGridWithoutRejections) {
  const SimParams params;  // τaos's populations, 2 545 agents
  TestContext context(params, 51);
  context.set_fundamental(0, params.book.initial_price);
  context.Start();
  context.RunUntil(1800 * TestContext::kSecondNs);
  MF_EXPECT_TRUE(context.deposit_errors().empty());
  MF_EXPECT_TRUE(context.rejections().empty());
  for (const Record& rejection : context.rejections()) {
    std::fprintf(stderr, "  rejected: agent %d code %u\n", rejection.agent_id, rejection.code);
  }
  for (const Instruction& order : context.submissions()) {
    MF_EXPECT_TRUE(internal::OnGrid(order, context.book_config()));
  }
  int trades = 0;
  for (const Record& event : context.events()) {
    if (event.kind == static_cast<uint8_t>(RecordKind::kTrade)) ++trades;
  }
  MF_EXPECT_TRUE(trades > 100);
  MF_EXPECT_TRUE(!std::isnan(context.mid(0)));
  MF_EXPECT_EQ(context.engine().CheckInvariants(), std::string());
}

MF_TEST(TheSameSeedGivesTheSameEventStream) {
  const SimParams params;
  const auto run = [&](uint64_t seed) {
    TestContext context(params, seed);
    context.set_fundamental(0, params.book.initial_price * 1.01);
    context.Start();
    context.RunUntil(600 * TestContext::kSecondNs);
    return context.events();
  };
  const std::vector<Record> first = run(61);
  const std::vector<Record> again = run(61);
  const std::vector<Record> other = run(62);
  MF_EXPECT_TRUE(first.size() > 10'000);
  MF_EXPECT_TRUE(SameRecords(first, again));
  MF_EXPECT_TRUE(!SameRecords(first, other));
}

MF_TEST(SaveAndLoadContinueWithTheSameEvents) {
  const SimParams params;
  TestContext original(params, 71);
  original.set_fundamental(0, params.book.initial_price * 0.99);
  original.Start();
  original.RunUntil(300 * TestContext::kSecondNs);
  ByteWriter saved;
  original.Save(saved);
  const size_t events_at_save = original.events().size();
  original.RunUntil(900 * TestContext::kSecondNs);

  TestContext restored(params, 999);  // the seed is overwritten by the checkpoint
  restored.set_fundamental(0, params.book.initial_price * 0.99);
  ByteReader reader(saved.bytes().data(), saved.bytes().size());
  MF_EXPECT_TRUE(restored.Load(reader));
  MF_EXPECT_EQ(reader.remaining(), size_t{0});
  restored.RunUntil(900 * TestContext::kSecondNs);
  const std::span<const Record> continued = std::span(original.events()).subspan(events_at_save);
  MF_EXPECT_TRUE(continued.size() > 1000);
  MF_EXPECT_TRUE(SameRecords(continued, restored.events()));
}

MF_TEST(EachPopulationSavesAndLoadsItsStateExactly) {
  const SimParams params;
  TestContext context(params, 81);
  context.Start();
  context.RunUntil(120 * TestContext::kSecondNs);
  for (int kind = 0; kind < kPopulationKinds; ++kind) {
    Population& population = context.population(static_cast<PopulationKind>(kind));
    ByteWriter first;
    population.Save(first);
    std::unique_ptr<Population> copy =
        MakePopulation(static_cast<PopulationKind>(kind), params, -1);
    ByteReader reader(first.bytes().data(), first.bytes().size());
    MF_EXPECT_TRUE(copy->Load(reader));
    ByteWriter second;
    copy->Save(second);
    MF_EXPECT_TRUE(first.bytes() == second.bytes());
    // Truncated or foreign bytes are refused.
    ByteReader truncated(first.bytes().data(), first.bytes().size() - 1);
    MF_EXPECT_TRUE(first.bytes().size() <= 16 || !copy->Load(truncated));
    const int other_kind = (kind + 1) % kPopulationKinds;
    std::unique_ptr<Population> other =
        MakePopulation(static_cast<PopulationKind>(other_kind), params, -1);
    ByteReader foreign(first.bytes().data(), first.bytes().size());
    MF_EXPECT_TRUE(!other->Load(foreign));
  }
}

}  // namespace
}  // namespace mf::sim
