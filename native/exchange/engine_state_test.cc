// Depth snapshots and checkpoint / restore.
#include <cstring>

#include "exchange/engine.h"
#include "exchange/engine_random_test_util.h"
#include "testing/test.h"

namespace mf {
namespace {

using namespace mf::testing;

struct Depth {
  DepthHeader header;
  std::vector<DepthLevel> levels;
  std::vector<DepthOrder> orders;
};

Depth ReadDepth(const Engine& engine, uint32_t max_levels, uint32_t detailed) {
  const size_t size = engine.WriteDepth(0, max_levels, detailed, {});
  std::vector<uint8_t> bytes(size);
  MF_EXPECT_EQ(engine.WriteDepth(0, max_levels, detailed, bytes), size);
  Depth depth;
  std::memcpy(&depth.header, bytes.data(), sizeof depth.header);
  const size_t level_count = depth.header.bid_levels + depth.header.ask_levels;
  depth.levels.resize(level_count);
  depth.orders.resize(depth.header.order_count);
  std::memcpy(depth.levels.data(), bytes.data() + sizeof(DepthHeader),
              level_count * sizeof(DepthLevel));
  std::memcpy(depth.orders.data(),
              bytes.data() + sizeof(DepthHeader) + level_count * sizeof(DepthLevel),
              depth.orders.size() * sizeof(DepthOrder));
  return depth;
}

MF_TEST(DepthListsLevelsBestFirstWithOrdersInTheDetailedLevels) {
  Engine engine = FundedEngine(2, 1 << 20, 1 << 30);
  for (int64_t i = 0; i < 30; ++i) {
    engine.Submit(Limit(1, Side::kBuy, 1'000 - i, 1 + i));
    engine.Submit(Limit(2, Side::kSell, 1'001 + i, 2));
  }
  Instruction second = Limit(2, Side::kBuy, 1'000, 5);
  second.client_order_id = 42;
  engine.Submit(second);
  Run(engine);
  const Depth depth = ReadDepth(engine, 21, 5);
  MF_EXPECT_EQ(depth.header.bid_levels, 21u);
  MF_EXPECT_EQ(depth.header.ask_levels, 21u);
  MF_EXPECT_EQ(depth.header.order_count, 11u);  // 5 + 1 bid orders, 5 ask orders
  MF_EXPECT_EQ(depth.levels[0].price_ticks, 1'000);
  MF_EXPECT_EQ(depth.levels[0].quantity_lots, 6);
  MF_EXPECT_EQ(depth.levels[0].order_count, 2u);
  MF_EXPECT_EQ(depth.orders[1].client_order_id, 42u);
  MF_EXPECT_EQ(depth.orders[1].agent_id, 2);
  MF_EXPECT_EQ(depth.levels[20].price_ticks, 980);
  MF_EXPECT_EQ(depth.levels[20].order_count, 0u);
  MF_EXPECT_EQ(depth.levels[21].price_ticks, 1'001);
  MF_EXPECT_EQ(depth.levels[21].first_order, 6u);
  MF_EXPECT_EQ(engine.WriteDepth(0, 21, 5, std::span<uint8_t>()),
               sizeof(DepthHeader) + 42 * sizeof(DepthLevel) + 11 * sizeof(DepthOrder));
}

std::vector<uint8_t> Drain(Engine& engine) {
  std::vector<uint8_t> bytes;
  for (const std::span<const Record> records : {engine.pending_events(), engine.pending_notices()}) {
    const auto* begin = reinterpret_cast<const uint8_t*>(records.data());
    bytes.insert(bytes.end(), begin, begin + records.size_bytes());
  }
  engine.ConsumeEvents(engine.pending_events().size());
  engine.ConsumeNotices(engine.pending_notices().size());
  return bytes;
}

MF_TEST(ARestoredEngineContinuesByteIdentically) {
  const std::vector<BookConfig> configs = MixedFeeBooks();
  Engine original(configs);
  RandomInstructions stream(3, 12, 3);
  for (uint32_t book = 0; book < 3; ++book) {
    for (int agent = 1; agent <= 12; ++agent) original.Deposit(agent, book, 2'000, 300'000);
  }
  for (int step = 0; step < 50; ++step) {
    for (int i = 0; i < 30; ++i) original.Submit(stream.Next());
    original.Step(original.now_ns() + 10);
    if (step % 7 == 0) Drain(original);
  }
  for (int i = 0; i < 30; ++i) original.Submit(stream.Next());  // still queued
  const std::vector<uint8_t> checkpoint = original.Checkpoint();
  std::string error;
  std::unique_ptr<Engine> restored = Engine::Restore(checkpoint, error);
  MF_EXPECT_EQ(error, "");
  if (restored == nullptr) return;
  MF_EXPECT_TRUE(restored->Checkpoint() == checkpoint);
  bool identical = true;
  for (int step = 0; step < 80; ++step) {
    for (int i = 0; i < 30; ++i) {
      const Instruction in = stream.Next();
      original.Submit(in);
      restored->Submit(in);
    }
    original.Step(original.now_ns() + 10);
    restored->Step(restored->now_ns() + 10);
    identical = identical && Drain(original) == Drain(*restored);
  }
  MF_EXPECT_TRUE(identical);
  MF_EXPECT_TRUE(original.Checkpoint() == restored->Checkpoint());
}

MF_TEST(RestoreRefusesDamagedOrForeignBytes) {
  Engine engine = FundedEngine(2, 100, 100'000);
  Apply(engine, Limit(1, Side::kBuy, 100, 5));
  std::vector<uint8_t> checkpoint = engine.Checkpoint();
  std::string error;
  MF_EXPECT_TRUE(Engine::Restore(std::span(checkpoint).first(10), error) == nullptr);
  MF_EXPECT_EQ(error, "checkpoint is too short");
  std::vector<uint8_t> flipped = checkpoint;
  flipped[40] ^= 1;
  MF_EXPECT_TRUE(Engine::Restore(flipped, error) == nullptr);
  MF_EXPECT_EQ(error, "checkpoint checksum does not match its contents");
  std::vector<uint8_t> garbage(500, 0xAB);
  MF_EXPECT_TRUE(Engine::Restore(garbage, error) == nullptr);
  MF_EXPECT_TRUE(Engine::Restore(checkpoint, error) != nullptr);
}

}  // namespace
}  // namespace mf
