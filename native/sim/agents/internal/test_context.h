// A small AgentContext for the populations' tests: one real mf::Engine on
// the block's exchange rules (SimulatedBookConfig), the block's wake-up queue
// (sim/wake_queue.h), a real MagneticField and PriceHistory per book, and a
// fixed fundamental price the test sets. It runs the five populations the
// way sim/block.h does (ids counting down from −1 in PopulationKind order,
// one population of each kind per book, engine messages delivered before
// each wake-up, the mid sampled every second) and records what happened:
// every L3 event, every rejection notice, every submission and wake-up.
#ifndef MARKETFORGE_SIM_AGENTS_INTERNAL_TEST_CONTEXT_H_
#define MARKETFORGE_SIM_AGENTS_INTERNAL_TEST_CONTEXT_H_

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "exchange/engine.h"
#include "sim/agent_context.h"
#include "sim/agents/population.h"
#include "sim/block.h"
#include "sim/magnetic_field.h"
#include "sim/price_history.h"
#include "sim/random.h"
#include "sim/wake_queue.h"

namespace mf::sim::internal {

// τaos's defaults with every population emptied: a test turns on the ones
// it needs.
inline SimParams NoAgents() {
  SimParams params;
  params.init.count = 0;
  params.stylized.count = 0;
  params.hft.count = 0;
  params.noise.count = 0;
  params.algo.count = 0;
  return params;
}

// Whether an order is one the exchange takes on `config`'s grid: prices on
// the tick, quantities in whole lots and at least the minimum.
inline bool OnGrid(const Instruction& instruction, const BookConfig& config) {
  int64_t price_unit = 1;
  for (int i = config.price_decimals; i < kWireDecimals; ++i) price_unit *= 10;
  int64_t volume_unit = 1;
  for (int i = config.volume_decimals; i < kWireDecimals; ++i) volume_unit *= 10;
  const bool market = instruction.kind == static_cast<uint8_t>(InstructionKind::kPlaceMarket);
  if (!market && (instruction.price <= 0 || instruction.price % price_unit != 0)) return false;
  return instruction.quantity % volume_unit == 0 &&
         instruction.quantity / volume_unit >= std::max<int64_t>(config.min_order_lots, 1);
}

class TestContext final : public AgentContext {
 public:
  static constexpr int64_t kSecondNs = 1'000'000'000;

  struct WakeRecord {
    int64_t time_ns;
    uint8_t population;
    uint32_t book;
    uint32_t index;
  };

  TestContext(const SimParams& params, uint64_t seed, uint32_t books = 1)
      : params_(params),
        config_(SimulatedBookConfig(params.book)),
        engine_(std::make_unique<Engine>(std::vector<BookConfig>(books, config_))),
        random_(seed) {
    for (uint32_t b = 0; b < books; ++b) {
      BookState book{MagneticField(params.field, DeriveSeed(seed, 1000 + b)), PriceHistory(),
                     params.book.initial_price, 0, {}};
      int32_t next_id = -1;
      for (int kind = 0; kind < kPopulationKinds; ++kind) {
        book.populations[kind] = MakePopulation(static_cast<PopulationKind>(kind), params, next_id);
        next_id -= static_cast<int32_t>(book.populations[kind]->size());
      }
      books_.push_back(std::move(book));
    }
  }

  // Opens the accounts and schedules the first wake-ups (t = 0).
  void Start() {
    for (uint32_t b = 0; b < books_.size(); ++b) {
      books_[b].history.Add(params_.book.initial_price);
      for (auto& population : books_[b].populations) population->Start(*this, b);
    }
  }

  // Runs whole simulated seconds until `end_ns`.
  void RunUntil(int64_t end_ns) {
    while (now_ns_ < end_ns) {
      const int64_t step_end = now_ns_ + kSecondNs;
      for (BookState& book : books_) book.field.AdvanceTo(now_ns_);
      engine_->PrepareStep();
      while (const std::optional<WakeQueue::Wake> wake = wakes_.PopBefore(step_end)) {
        Advance(wake->time_ns);
        const size_t first_submission = submissions_.size();
        const WakeRecord record{wake->time_ns, wake->population, wake->book, wake->index};
        wake_log_.push_back(record);
        if (before_wake) before_wake(record);
        books_[wake->book].populations[wake->population]->Wake(*this, wake->book, wake->index);
        if (after_wake) {
          after_wake(record, std::span<const Instruction>(submissions_).subspan(first_submission));
        }
      }
      Advance(step_end);
      for (uint32_t b = 0; b < books_.size(); ++b) {
        const double price = mid(b);
        if (!std::isnan(price)) {
          books_[b].history.Add(price);
        } else if (books_[b].last_trade_ticks > 0) {
          books_[b].history.Add(static_cast<double>(books_[b].last_trade_ticks) * tick());
        }
      }
    }
  }

  // Called around every wake-up (after: with what it submitted).
  std::function<void(const WakeRecord&)> before_wake;
  std::function<void(const WakeRecord&, std::span<const Instruction>)> after_wake;

  Population& population(PopulationKind kind, uint32_t book = 0) {
    return *books_[book].populations[static_cast<int>(kind)];
  }
  Engine& engine() { return *engine_; }
  const std::vector<Record>& events() const { return events_; }
  const std::vector<Record>& rejections() const { return rejections_; }
  const std::vector<Instruction>& submissions() const { return submissions_; }
  const std::vector<WakeRecord>& wake_log() const { return wake_log_; }
  void set_fundamental(uint32_t book, double price) { books_[book].fundamental = price; }
  double tick() const { return std::pow(10.0, -params_.book.price_decimals); }
  double mid(uint32_t book) const {
    const OrderBook& order_book = engine_->book(book);
    const auto bid = order_book.BestPrice(Side::kBuy);
    const auto ask = order_book.BestPrice(Side::kSell);
    if (!bid || !ask) return std::nan("");
    return static_cast<double>(*bid + *ask) / 2.0 * tick();
  }

  // AgentContext.
  int64_t now_ns() const override { return now_ns_; }
  const SimParams& params() const override { return params_; }
  Random& random() override { return random_; }
  const BookConfig& book_config() const override { return config_; }
  const OrderBook& book(uint32_t local_book) const override { return engine_->book(local_book); }
  int64_t last_trade_ticks(uint32_t local_book) const override {
    return books_[local_book].last_trade_ticks;
  }
  const PriceHistory& history(uint32_t local_book) const override {
    return books_[local_book].history;
  }
  double fundamental_price(uint32_t local_book) const override {
    return books_[local_book].fundamental;
  }
  const MagneticField& field(uint32_t local_book) const override {
    return books_[local_book].field;
  }
  const Account* account(int32_t agent_id, uint32_t local_book) const override {
    return engine_->FindAccount(agent_id, local_book);
  }
  void Deposit(int32_t agent_id, uint32_t local_book, int64_t base_lots,
               int64_t quote_units) override {
    deposit_errors_ += engine_->Deposit(agent_id, local_book, base_lots, quote_units);
  }
  void Submit(const Instruction& instruction) override {
    submissions_.push_back(instruction);
    engine_->Submit(instruction);
  }
  void WakeAfter(int64_t delay_ns, uint8_t population, uint32_t local_book,
                 uint32_t index) override {
    wakes_.Push(now_ns_ + std::max<int64_t>(delay_ns, 1), population, local_book, index);
  }
  const std::string& deposit_errors() const { return deposit_errors_; }

  // The whole state (engine, clock, wake-ups, processes, populations).
  void Save(ByteWriter& out) const {
    const std::vector<uint8_t> engine = engine_->Checkpoint();
    out.U64(engine.size());
    out.Bytes(engine.data(), engine.size());
    out.I64(now_ns_);
    random_.Save(out);
    out.U64(wakes_.next_sequence());
    wakes_.SaveWakes(out);
    for (const BookState& book : books_) {
      book.field.Save(out);
      book.history.Save(out);
      out.I64(book.last_trade_ticks);
      for (const auto& population : book.populations) population->Save(out);
    }
  }

  bool Load(ByteReader& in) {
    const uint64_t engine_size = in.U64();
    if (!in.ok() || engine_size > in.remaining()) return false;
    std::vector<uint8_t> engine_bytes(engine_size);
    in.Bytes(engine_bytes.data(), engine_bytes.size());
    std::string error;
    std::unique_ptr<Engine> engine = Engine::Restore(engine_bytes, error);
    if (!engine) return false;
    engine_ = std::move(engine);
    now_ns_ = in.I64();
    random_.Load(in);
    wakes_.set_next_sequence(in.U64());
    const auto any_agent = [](const WakeQueue::Wake&) { return true; };
    if (!wakes_.LoadWakes(in, any_agent, error)) return false;
    for (BookState& book : books_) {
      if (!book.field.Load(in) || !book.history.Load(in)) return false;
      book.last_trade_ticks = in.I64();
      for (auto& population : book.populations) {
        if (!population->Load(in)) return false;
      }
    }
    return in.ok();
  }

 private:
  struct BookState {
    MagneticField field;
    PriceHistory history;
    double fundamental;
    int64_t last_trade_ticks;
    std::array<std::unique_ptr<Population>, kPopulationKinds> populations;
  };

  // Delivers exchange messages before `until_ns` and records their output.
  void Advance(int64_t until_ns) {
    engine_->Advance(until_ns);
    now_ns_ = until_ns;
    for (const Record& record : engine_->pending_events()) {
      if (record.kind == static_cast<uint8_t>(RecordKind::kTrade)) {
        books_[record.book_id].last_trade_ticks = record.price_ticks;
      }
      events_.push_back(record);
    }
    engine_->ConsumeEvents(engine_->pending_events().size());
    for (const Record& record : engine_->pending_notices()) {
      if (record.kind == static_cast<uint8_t>(RecordKind::kRejected)) rejections_.push_back(record);
    }
    engine_->ConsumeNotices(engine_->pending_notices().size());
  }

  SimParams params_;
  BookConfig config_;
  std::unique_ptr<Engine> engine_;
  Random random_;
  std::vector<BookState> books_;
  WakeQueue wakes_;
  int64_t now_ns_ = 0;
  std::vector<Record> events_;
  std::vector<Record> rejections_;
  std::vector<Instruction> submissions_;
  std::vector<WakeRecord> wake_log_;
  std::string deposit_errors_;
};

}  // namespace mf::sim::internal

#endif  // MARKETFORGE_SIM_AGENTS_INTERNAL_TEST_CONTEXT_H_
