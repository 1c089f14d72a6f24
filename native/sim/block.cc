#include "sim/block.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace mf::sim {
namespace {

int64_t Pow10(double exponent) { return static_cast<int64_t>(std::llround(std::pow(10.0, exponent))); }

// Streams derived from a block's seed: one per purpose, so adding draws to
// one never shifts another.
enum SeedStream : uint64_t {
  kAgentStream = 0,
  kCapitalStream = 1,
  kFundamentalStream = 1'000,
  kFieldStream = 2'000'000,
};

}  // namespace

BookConfig SimulatedBookConfig(const BookParams& params) {
  // τaos simulation_0.xml: dynamic maker-taker fees (§2.3), leverage 4,
  // maxLoan 10 000 quote, maintenance margin 0.10 (§2.2).
  BookConfig config{};
  config.price_decimals = static_cast<uint8_t>(params.price_decimals);
  config.volume_decimals = static_cast<uint8_t>(params.volume_decimals);
  config.fee_policy = static_cast<uint8_t>(FeePolicyKind::kDynamic);
  config.max_open_orders = static_cast<uint32_t>(params.max_open_orders);
  config.min_order_lots = std::llround(params.min_order_size * Pow10(params.volume_decimals));
  config.maker_rate = 0;
  config.taker_rate = 230'000;
  config.max_maker_rate = 15'000'000;
  config.max_taker_rate = 15'000'000;
  config.target_mtr = 400'000'000;
  config.history_slots = 300;
  config.max_leverage = 400;
  config.max_loan = 10'000 * Pow10(params.price_decimals + params.volume_decimals);
  config.maintenance_margin = 100'000'000;
  return config;
}

Block::Block(const SimParams& params, uint32_t first_book, uint32_t book_count, uint64_t seed)
    : params_(params),
      first_book_(first_book),
      engine_(std::vector<BookConfig>(book_count, SimulatedBookConfig(params.book))),
      random_(DeriveSeed(seed, kAgentStream)),
      capital_random_(DeriveSeed(seed, kCapitalStream)) {
  engine_.set_background_notices(false);
  const int64_t duration_ns = static_cast<int64_t>(params.simulation.duration_s) * kStepNs;
  books_.reserve(book_count);
  for (uint32_t b = 0; b < book_count; ++b) {
    books_.push_back(BookState{
        FundamentalPrice(params.fundamental, params.book.initial_price, duration_ns,
                         first_book + b, DeriveSeed(seed, kFundamentalStream + b)),
        MagneticField(params.field, DeriveSeed(seed, kFieldStream + b)),
        PriceHistory(),
        0,
        {}});
    int32_t next_id = -1;
    for (int kind = 0; kind < kPopulationKinds; ++kind) {
      auto population = MakePopulation(static_cast<PopulationKind>(kind), params, next_id);
      next_id -= static_cast<int32_t>(population->size());
      books_[b].populations[kind] = std::move(population);
    }
  }
}

void Block::Start() {
  for (uint32_t b = 0; b < book_count(); ++b) {
    for (int32_t agent = 0; agent < static_cast<int32_t>(params_.simulation.remote_agents);
         ++agent) {
      int64_t base_lots, quote_units;
      DrawRemoteCapital(base_lots, quote_units);
      engine_.Deposit(agent, b, base_lots, quote_units);
    }
  }
  for (uint32_t b = 0; b < book_count(); ++b) {
    books_[b].history.Add(params_.book.initial_price);
    for (auto& population : books_[b].populations) population->Start(*this, b);
  }
}

void Block::Step() {
  const int64_t end = now_ns_ + kStepNs;
  for (BookState& book : books_) {
    book.fundamental.AdvanceTo(now_ns_);
    book.field.AdvanceTo(now_ns_);
  }
  engine_.PrepareStep();
  while (const std::optional<WakeQueue::Wake> wake = wakes_.PopBefore(end)) {
    AdvanceEngine(wake->time_ns);
    books_[wake->book].populations[wake->population]->Wake(*this, wake->book, wake->index);
    ++wakeups_;
  }
  AdvanceEngine(end);
  for (uint32_t b = 0; b < book_count(); ++b) {
    const double price = mid(b);
    BookState& book = books_[b];
    if (!std::isnan(price)) {
      book.history.Add(price);
    } else if (book.last_trade_ticks > 0) {
      book.history.Add(static_cast<double>(book.last_trade_ticks) /
                       static_cast<double>(Pow10(params_.book.price_decimals)));
    }
  }
  DrainEngine();
}

void Block::AdvanceEngine(int64_t until_ns) {
  engine_.Advance(until_ns);
  now_ns_ = until_ns;
  const std::span<const Record> events = engine_.pending_events();
  for (size_t i = events_scanned_; i < events.size(); ++i) {
    if (events[i].kind != static_cast<uint8_t>(RecordKind::kTrade)) continue;
    books_[events[i].book_id].last_trade_ticks = events[i].price_ticks;
    ++fills_;
  }
  events_scanned_ = events.size();
}

void Block::DrainEngine() {
  for (Record record : engine_.pending_events()) {
    record.book_id += first_book_;
    events_.push_back(record);
  }
  engine_.ConsumeEvents(engine_.pending_events().size());
  for (Record record : engine_.pending_notices()) {
    record.book_id += first_book_;
    notices_.push_back(record);
  }
  engine_.ConsumeNotices(engine_.pending_notices().size());
  events_scanned_ = 0;
}

double Block::mid(uint32_t local_book) const {
  const OrderBook& book = engine_.book(local_book);
  const auto bid = book.BestPrice(Side::kBuy);
  const auto ask = book.BestPrice(Side::kSell);
  if (!bid || !ask) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(*bid + *ask) / 2.0 /
         static_cast<double>(Pow10(params_.book.price_decimals));
}

void Block::Deposit(int32_t agent_id, uint32_t local_book, int64_t base_lots,
                    int64_t quote_units) {
  // Populations size their capital from validated settings, far inside the
  // engine's 2^52 bound; a refusal would be a bug in a population.
  engine_.Deposit(agent_id, local_book, base_lots, quote_units);
}

void Block::WakeAfter(int64_t delay_ns, uint8_t population, uint32_t local_book,
                      uint32_t index) {
  wakes_.Push(now_ns_ + std::max<int64_t>(delay_ns, 1), population, local_book, index);
}

void Block::DrawRemoteCapital(int64_t& base_lots, int64_t& quote_units) {
  // τaos §2.6: r = (1 − u)^(−1/shape); base = W/(1+r)/p, quote = W·r/(1+r).
  const double u = capital_random_.Uniform();
  const double r = std::pow(1.0 - u, -1.0 / params_.remote.pareto_shape);
  const double wealth = params_.remote.wealth;
  const double base = wealth / (1.0 + r) / params_.book.initial_price;
  const double quote = wealth * r / (1.0 + r);
  base_lots = std::llround(base * static_cast<double>(Pow10(params_.book.volume_decimals)));
  quote_units = std::llround(
      quote * static_cast<double>(Pow10(params_.book.price_decimals + params_.book.volume_decimals)));
}

std::string Block::ResetRemoteAgent(int32_t agent_id) {
  if (agent_id < 0 || agent_id >= static_cast<int32_t>(params_.simulation.remote_agents)) {
    return "agent " + std::to_string(agent_id) + " is not a remote agent slot (0 to " +
           std::to_string(static_cast<int64_t>(params_.simulation.remote_agents) - 1) + ")";
  }
  for (uint32_t b = 0; b < book_count(); ++b) {
    int64_t base_lots, quote_units;
    DrawRemoteCapital(base_lots, quote_units);
    const std::string error = ResetAccount(agent_id, b, base_lots, quote_units);
    if (!error.empty()) return error;
  }
  return "";
}

std::string Block::ResetAccount(int32_t agent_id, uint32_t local_book, int64_t base_lots,
                                int64_t quote_units) {
  const std::string error = engine_.ResetAccount(agent_id, local_book, base_lots, quote_units);
  AdvanceEngine(now_ns_);
  DrainEngine();
  return error;
}

void Block::SetExternalPrice(uint32_t local_book, double price) {
  books_[local_book].fundamental.SetExternalPrice(price);
}

void Block::Save(ByteWriter& out) const {
  out.U32(first_book_);
  out.U32(book_count());
  const std::vector<uint8_t> engine = engine_.Checkpoint();
  out.U64(engine.size());
  out.Bytes(engine.data(), engine.size());
  out.I64(now_ns_);
  random_.Save(out);
  capital_random_.Save(out);
  out.U64(wakes_.next_sequence());
  out.U64(wakeups_);
  out.U64(fills_);
  wakes_.SaveWakes(out);
  for (const BookState& book : books_) {
    book.fundamental.Save(out);
    book.field.Save(out);
    book.history.Save(out);
    out.I64(book.last_trade_ticks);
    for (const auto& population : book.populations) population->Save(out);
  }
}

bool Block::Load(ByteReader& in, std::string& error) {
  if (in.U32() != first_book_ || in.U32() != book_count()) {
    error = "the checkpoint's blocks do not match the configuration";
    return false;
  }
  const uint64_t engine_size = in.U64();
  if (!in.ok() || engine_size > in.remaining()) {
    error = "truncated checkpoint";
    return false;
  }
  std::vector<uint8_t> engine_bytes(engine_size);
  in.Bytes(engine_bytes.data(), engine_bytes.size());
  std::unique_ptr<Engine> engine = Engine::Restore(engine_bytes, error);
  if (!engine) return false;
  if (engine->book_count() != book_count()) {
    error = "the checkpoint's books do not match the configuration";
    return false;
  }
  engine_ = std::move(*engine);
  engine_.set_background_notices(false);
  now_ns_ = in.I64();
  random_.Load(in);
  capital_random_.Load(in);
  wakes_.set_next_sequence(in.U64());
  wakeups_ = in.U64();
  fills_ = in.U64();
  const auto names_agent = [&](const WakeQueue::Wake& wake) {
    return wake.book < book_count() && wake.population < kPopulationKinds &&
           wake.index < books_[wake.book].populations[wake.population]->size();
  };
  if (!wakes_.LoadWakes(in, names_agent, error)) return false;
  for (BookState& book : books_) {
    if (!book.fundamental.Load(in) || !book.field.Load(in) || !book.history.Load(in)) {
      error = "the checkpoint's processes do not match the configuration";
      return false;
    }
    book.last_trade_ticks = in.I64();
    for (auto& population : book.populations) {
      if (!population->Load(in)) {
        error = "the checkpoint's agents do not match the configuration";
        return false;
      }
    }
  }
  events_scanned_ = 0;
  if (!in.ok()) {
    error = "truncated checkpoint";
    return false;
  }
  return true;
}

}  // namespace mf::sim
