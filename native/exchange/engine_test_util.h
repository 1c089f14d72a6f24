// Helpers shared by the exchange tests: a default book config and
// instruction builders in ticks and lots (converted to wire units).
#ifndef MARKETFORGE_EXCHANGE_ENGINE_TEST_UTIL_H_
#define MARKETFORGE_EXCHANGE_ENGINE_TEST_UTIL_H_

#include <vector>

#include "exchange/engine.h"

namespace mf::testing {

// Prices have 2 decimals and volumes 2, so a tick is 10^6 wire units and
// so is a lot; quote units are 10^-4.
inline constexpr int64_t kTick = 1'000'000;
inline constexpr int64_t kLot = 1'000'000;

inline BookConfig TestConfig() {
  BookConfig config{};
  config.price_decimals = 2;
  config.volume_decimals = 2;
  config.fee_policy = static_cast<uint8_t>(FeePolicyKind::kStatic);
  config.max_open_orders = 100;
  config.min_order_lots = 1;
  config.max_leverage = 400;
  config.max_loan = int64_t{1} << 40;
  config.maintenance_margin = 100'000'000;  // 0.10
  return config;
}

inline Instruction Limit(int32_t agent, Side side, int64_t price_ticks, int64_t lots) {
  Instruction in{};
  in.kind = static_cast<uint8_t>(InstructionKind::kPlaceLimit);
  in.side = static_cast<uint8_t>(side);
  in.agent_id = agent;
  in.price = price_ticks * kTick;
  in.quantity = lots * kLot;
  return in;
}

inline Instruction Market(int32_t agent, Side side, int64_t lots) {
  Instruction in{};
  in.kind = static_cast<uint8_t>(InstructionKind::kPlaceMarket);
  in.side = static_cast<uint8_t>(side);
  in.agent_id = agent;
  in.quantity = lots * kLot;
  return in;
}

inline Instruction CancelOrder(int32_t agent, uint64_t order_id, int64_t lots = 0) {
  Instruction in{};
  in.kind = static_cast<uint8_t>(InstructionKind::kCancel);
  in.agent_id = agent;
  in.order_id = order_id;
  in.quantity = lots * kLot;
  return in;
}

// An engine of `books` test books where agents 1..agents hold `base` lots
// and `quote` units on every book.
inline Engine FundedEngine(int agents, int64_t base, int64_t quote, size_t books = 1,
                           BookConfig config = TestConfig()) {
  std::vector<BookConfig> configs(books, config);
  Engine engine(configs);
  for (uint32_t book = 0; book < books; ++book) {
    for (int agent = 1; agent <= agents; ++agent) engine.Deposit(agent, book, base, quote);
  }
  return engine;
}

// Delivers everything submitted so far (one ns later) and returns the
// records it produced.
struct Output {
  std::vector<Record> events;
  std::vector<Record> notices;
};

inline Output Run(Engine& engine, int64_t advance_ns = 1) {
  engine.Step(engine.now_ns() + advance_ns);
  Output output{{engine.pending_events().begin(), engine.pending_events().end()},
                {engine.pending_notices().begin(), engine.pending_notices().end()}};
  engine.ConsumeEvents(output.events.size());
  engine.ConsumeNotices(output.notices.size());
  return output;
}

inline Output Apply(Engine& engine, const Instruction& in) {
  engine.Submit(in);
  return Run(engine);
}

inline bool Is(const Record& record, RecordKind kind) {
  return record.kind == static_cast<uint8_t>(kind);
}

}  // namespace mf::testing

#endif  // MARKETFORGE_EXCHANGE_ENGINE_TEST_UTIL_H_
