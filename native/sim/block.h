// A block (shared/reference/taos.md §2.1): one exchange with a few books
// and the background population that trades them — the unit that steps on
// one thread. Blocks share nothing, so a run steps them in parallel and the
// result does not depend on the thread count.
//
// Inside a block one discrete-event loop interleaves agent wake-ups with
// exchange messages in time order: before an agent wakes at t, the engine
// delivers every message that arrives before t. Fee rates and margins are
// updated once per one-second step, as τaos does before each step.
//
// Agent ids: remote agents (miners) are 0 .. remote_agents − 1 on every
// book; background populations count down from −1 in PopulationKind order,
// the same ids on every book of the block, each with per-book state.
#ifndef MARKETFORGE_SIM_BLOCK_H_
#define MARKETFORGE_SIM_BLOCK_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exchange/engine.h"
#include "sim/agent_context.h"
#include "sim/agents/population.h"
#include "sim/fundamental_price.h"
#include "sim/magnetic_field.h"
#include "sim/price_history.h"
#include "sim/random.h"
#include "sim/sim_params.h"
#include "sim/wake_queue.h"

namespace mf::sim {

inline constexpr int64_t kStepNs = 1'000'000'000;

// The exchange rules every simulated book uses (τaos §2.2–2.3 defaults)
// with the grid and minimum size from the config.
BookConfig SimulatedBookConfig(const BookParams& params);

class Block final : public AgentContext {
 public:
  // Books first_book .. first_book + book_count − 1 of the run; `seed` is
  // the block's own (DeriveSeed of the run's seed).
  Block(const SimParams& params, uint32_t first_book, uint32_t book_count, uint64_t seed);

  uint32_t first_book() const { return first_book_; }
  uint32_t book_count() const { return static_cast<uint32_t>(books_.size()); }

  // Opens the remote agents' accounts and starts the populations (t = 0).
  void Start();
  // Runs one simulated second.
  void Step();

  // What the last steps produced, book ids already global: every L3 event,
  // and the notices of remote agents. The simulation drains them.
  std::vector<Record>& events() { return events_; }
  std::vector<Record>& notices() { return notices_; }
  // Mid price (quote) of each book at the end of the last step; NaN when a
  // side is empty.
  double mid(uint32_t local_book) const;

  // Remote agents' doors (local book ids).
  Engine& engine() { return engine_; }
  const Engine& engine() const { return engine_; }
  // τaos RESET_AGENT: cancels, closes, and redraws the agent's capital on
  // every book of the block.
  std::string ResetRemoteAgent(int32_t agent_id);
  // Engine::ResetAccount on one book, its output drained like a step's.
  std::string ResetAccount(int32_t agent_id, uint32_t local_book, int64_t base_lots,
                           int64_t quote_units);
  void SetExternalPrice(uint32_t local_book, double price);

  uint64_t wakeups() const { return wakeups_; }
  uint64_t fills() const { return fills_; }

  // Everything but the engine's unread output, which the simulation drains
  // after each step.
  void Save(ByteWriter& out) const;
  // False (and why in `error`) if the bytes are not a saved block of this
  // configuration.
  bool Load(ByteReader& in, std::string& error);

  // AgentContext.
  int64_t now_ns() const override { return now_ns_; }
  const SimParams& params() const override { return params_; }
  Random& random() override { return random_; }
  const BookConfig& book_config() const override { return engine_.config(0); }
  const OrderBook& book(uint32_t local_book) const override { return engine_.book(local_book); }
  int64_t last_trade_ticks(uint32_t local_book) const override {
    return books_[local_book].last_trade_ticks;
  }
  const PriceHistory& history(uint32_t local_book) const override {
    return books_[local_book].history;
  }
  double fundamental_price(uint32_t local_book) const override {
    return books_[local_book].fundamental.value();
  }
  const MagneticField& field(uint32_t local_book) const override {
    return books_[local_book].field;
  }
  const Account* account(int32_t agent_id, uint32_t local_book) const override {
    return engine_.FindAccount(agent_id, local_book);
  }
  void Deposit(int32_t agent_id, uint32_t local_book, int64_t base_lots,
               int64_t quote_units) override;
  void Submit(const Instruction& instruction) override { engine_.Submit(instruction); }
  void WakeAfter(int64_t delay_ns, uint8_t population, uint32_t local_book,
                 uint32_t index) override;

 private:
  struct BookState {
    FundamentalPrice fundamental;
    MagneticField field;
    PriceHistory history;
    int64_t last_trade_ticks = 0;
    std::array<std::unique_ptr<Population>, kPopulationKinds> populations;
  };

  // Delivers exchange messages before `until_ns` and notes their trades.
  void AdvanceEngine(int64_t until_ns);
  // Drains the engine's output into events_ / notices_ with global ids.
  void DrainEngine();
  // A remote agent's per-book capital (τaos §2.6 pareto split, seeded).
  void DrawRemoteCapital(int64_t& base_lots, int64_t& quote_units);

  SimParams params_;
  uint32_t first_book_;
  Engine engine_;
  std::vector<BookState> books_;
  Random random_;
  Random capital_random_;  // remote capital only, so resets never shift the market's draws
  WakeQueue wakes_;
  int64_t now_ns_ = 0;
  size_t events_scanned_ = 0;
  uint64_t wakeups_ = 0;
  uint64_t fills_ = 0;
  std::vector<Record> events_;
  std::vector<Record> notices_;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_BLOCK_H_
