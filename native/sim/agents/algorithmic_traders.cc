#include "sim/agents/algorithmic_traders.h"

#include <algorithm>
#include <cmath>

#include "sim/agents/internal/book_states.h"

namespace mf::sim {
namespace {

using internal::Touch;

constexpr uint8_t kKind = static_cast<uint8_t>(PopulationKind::kAlgorithmic);
constexpr double kSecondsPerDay = 86'400;
// τaos ALGOTraderAgent: slices and meta orders use at most 99 % of the free
// balance; an order is done when at most one base is left.
constexpr double kBalanceShare = 0.99;
constexpr double kDoneBase = 1.0;
// τaos wakeupProb: P_cost = min(1, cost / (1 + e^{2(slope − 0.2·V_top)/slope})),
// cost = 1 when depth_levels·slope covers the order, else
// 1 + max(0.01, (2·depth_levels·slope − Q)/Q).
constexpr double kCostSteepness = 2.0;
constexpr double kCostTopShare = 0.2;
constexpr double kCostFloor = 0.01;
// One-second returns folded into the realised variance per wake at most.
constexpr uint32_t kReturnFoldLimit = 1024;

constexpr size_t kSavedTraderBytes = 2 * 8 + 4 * 8 + 2;

// Lots on `side` in its best `levels` levels.
int64_t DepthLots(const OrderBook& book, Side side, size_t levels) {
  const size_t count = std::min(levels, book.LevelCount(side));
  int64_t lots = 0;
  for (size_t i = 0; i < count; ++i) lots += book.LevelAt(side, i).total_lots;
  return lots;
}

}  // namespace

AlgorithmicTraders::AlgorithmicTraders(const SimParams& params, int32_t first_agent_id)
    : Population(first_agent_id, static_cast<uint32_t>(params.algo.count)),
      params_(params.algo),
      initial_price_(params.book.initial_price) {}

void AlgorithmicTraders::Start(AgentContext& context, uint32_t local_book) {
  if (!grid_.ready()) grid_.Init(context.book_config());
  BookState* book = internal::StartBook(books_, local_book);
  if (book == nullptr) return;
  Random& random = context.random();
  const int64_t base_lots = grid_.BaseLots(params_.base);
  const double persistence = 1.0 - params_.vol_alpha - params_.vol_beta;
  book->traders.resize(size());
  for (uint32_t i = 0; i < size(); ++i) {
    Trader& trader = book->traders[i];
    // τaos starts the recursion at its unconditional variance.
    trader.variance = persistence > 0 ? params_.vol_omega / persistence : params_.vol_omega;
    trader.last_mid = 0;
    trader.remaining_lots = 0;
    trader.next_meta_lots = std::min(DrawMetaLots(random), base_lots);
    trader.started_ns = -1;
    trader.returns_seen = context.history(local_book).returns();
    trader.executing = 0;
    trader.side = static_cast<uint8_t>(Side::kBuy);
    context.Deposit(agent_id(i), local_book, base_lots, grid_.QuoteUnits(params_.quote));
    context.WakeAfter(WakeDelayNs(random), kKind, local_book, i);
  }
}

void AlgorithmicTraders::Wake(AgentContext& context, uint32_t local_book, uint32_t index) {
  BookState* state = internal::StartedBook(books_, local_book);
  if (state == nullptr || index >= size()) return;
  if (!grid_.ready()) grid_.Init(context.book_config());
  Random& random = context.random();
  context.WakeAfter(WakeDelayNs(random), kKind, local_book, index);
  Trader& trader = state->traders[index];
  const OrderBook& book = context.book(local_book);
  const Touch touch = internal::ReadTouch(book);
  const double mid = internal::ReferencePrice(touch, context, local_book, grid_, initial_price_);

  // The GARCH-like step on the return since the last wake.
  double squares = 0;
  uint32_t returns = 0;
  internal::ForEachNewReturn(context.history(local_book), trader.returns_seen, kReturnFoldLimit,
                             [&](double r) {
                               squares += r * r;
                               ++returns;
                             });
  const double realised = returns > 0 ? squares / returns : 0.0;
  const double r = trader.last_mid > 0 && mid > 0 ? std::log(mid / trader.last_mid) : 0.0;
  trader.variance = params_.vol_omega + params_.vol_alpha * r * r +
                    params_.vol_beta * trader.variance + params_.vol_gamma * realised;
  if (!std::isfinite(trader.variance)) {
    const double persistence = 1.0 - params_.vol_alpha - params_.vol_beta;
    trader.variance = persistence > 0 ? params_.vol_omega / persistence : params_.vol_omega;
  }
  trader.last_mid = mid;

  const Account* account = context.account(agent_id(index), local_book);
  if (account == nullptr || !(mid > 0)) return;
  const int64_t last_ticks = context.last_trade_ticks(local_book);
  const double last_price = last_ticks > 0 ? grid_.Price(last_ticks) : mid;
  if (trader.executing != 0) {
    Execute(context, local_book, index, trader, *account, touch, last_price);
    return;
  }
  const double fundamental = context.fundamental_price(local_book);
  const Side side = fundamental >= last_price ? Side::kBuy : Side::kSell;
  // Immediate: the book is deep enough on the side toward the fundamental.
  const Side take_from = Opposite(side);
  const int64_t trigger_lots = grid_.BaseLots(params_.depth_trigger);
  if (DepthLots(book, take_from, static_cast<size_t>(params_.trigger_levels)) >= trigger_lots) {
    const int64_t touch_lots = side == Side::kBuy ? touch.ask_lots : touch.bid_lots;
    if (touch_lots > 0) {
      trader.executing = 1;
      trader.side = static_cast<uint8_t>(side);
      trader.remaining_lots = touch_lots;
      Execute(context, local_book, index, trader, *account, touch, last_price);
      return;
    }
  }
  const double daily_volatility =
      std::sqrt(std::max(trader.variance, 0.0) * kSecondsPerDay / params_.wake_s);
  const double deviation = std::fabs(fundamental - last_price) / last_price;
  if (!random.Bernoulli(ActivationProbability(trader, book, side, daily_volatility, deviation,
                                              context.now_ns()))) {
    return;
  }
  // A meta order toward the fundamental, as large as the balance allows.
  const int64_t affordable =
      side == Side::kBuy
          ? grid_.FloorLots(kBalanceShare * grid_.Quote(account->quote.free) / last_price)
          : grid_.FloorLots(kBalanceShare * grid_.Base(account->base.free));
  trader.executing = 1;
  trader.side = static_cast<uint8_t>(side);
  trader.remaining_lots = std::min(trader.next_meta_lots, affordable);
  trader.started_ns = context.now_ns();
  Execute(context, local_book, index, trader, *account, touch, last_price);
}

double AlgorithmicTraders::ActivationProbability(const Trader& trader, const OrderBook& book,
                                                 Side side, double daily_volatility,
                                                 double deviation, int64_t now_ns) const {
  const double p_volatility =
      1.0 / (1.0 + std::exp(params_.rate * (daily_volatility - params_.midpoint)));
  const Side take_from = Opposite(side);
  const size_t levels = static_cast<size_t>(params_.depth_levels);
  const double top = grid_.Base(DepthLots(book, take_from, 1));
  const double slope = (grid_.Base(DepthLots(book, take_from, levels)) - top) /
                       static_cast<double>(levels - 1);
  const double near =
      grid_.Base(DepthLots(book, take_from, static_cast<size_t>(params_.trigger_levels)));
  const double order = grid_.Base(trader.next_meta_lots);
  double p_cost = 0;
  if (slope > 0 && order > 0) {
    const double depth = static_cast<double>(levels) * slope;
    const double cost =
        depth > order ? 1.0 : 1.0 + std::max(kCostFloor, (2.0 * depth - order) / order);
    const double steepness = kCostSteepness * (slope - kCostTopShare * near) / slope;
    p_cost = std::min(1.0, cost / (1.0 + std::exp(steepness)));
  }
  const double activation_ns =
      params_.activation_time_s * static_cast<double>(internal::kNsPerSecond);
  const double p_time =
      trader.started_ns < 0
          ? 1.0
          : std::min(1.0, static_cast<double>(now_ns - trader.started_ns) / activation_ns);
  const double p_distance = std::min(1.0, params_.deviation_coef * deviation);
  return std::clamp(p_volatility * p_cost * p_time * p_distance, 0.0, 1.0);
}

void AlgorithmicTraders::Execute(AgentContext& context, uint32_t local_book, uint32_t index,
                                 Trader& trader, const Account& account, const Touch& touch,
                                 double last_price) {
  Random& random = context.random();
  const Side side = static_cast<Side>(trader.side);
  const int64_t touch_lots = side == Side::kBuy ? touch.ask_lots : touch.bid_lots;
  const int64_t drawn = grid_.FloorLots(random.LogNormal(params_.size_mu, params_.size_sigma));
  int64_t lots = std::min(std::max(drawn, touch_lots), trader.remaining_lots);
  lots = std::min(lots, side == Side::kBuy
                            ? grid_.FloorLots(kBalanceShare * grid_.Quote(account.quote.free) /
                                              last_price)
                            : grid_.FloorLots(kBalanceShare * grid_.Base(account.base.free)));
  const bool can_trade = lots >= grid_.min_lots() && touch_lots > 0 &&
                         (side == Side::kSell || account.quote.free >= touch.ask_ticks);
  if (can_trade) {
    context.Submit(grid_.Market(agent_id(index), local_book, side, lots,
                                internal::FeedAndOrderLatencyNs(random, params_)));
    trader.remaining_lots -= lots;
  }
  if (trader.remaining_lots <= grid_.BaseLots(kDoneBase) ||
      trader.remaining_lots < grid_.min_lots()) {
    trader.executing = 0;
    trader.remaining_lots = 0;
    trader.next_meta_lots = DrawMetaLots(random);
  }
}

int64_t AlgorithmicTraders::DrawMetaLots(Random& random) const {
  return grid_.FloorLots(random.Rayleigh(params_.meta_scale));
}

int64_t AlgorithmicTraders::WakeDelayNs(Random& random) const {
  return internal::SecondsToNs(params_.wake_s) +
         internal::FeedLatencyNs(random, params_.feed_latency_ms, params_.feed_latency_sd_ms);
}

void AlgorithmicTraders::Save(ByteWriter& out) const {
  out.U8(kKind);
  out.U32(size());
  internal::SaveBooks(out, books_, [&](const BookState& book) {
    for (const Trader& trader : book.traders) {
      internal::PutDouble(out, trader.variance);
      internal::PutDouble(out, trader.last_mid);
      out.I64(trader.remaining_lots);
      out.I64(trader.next_meta_lots);
      out.I64(trader.started_ns);
      out.U64(trader.returns_seen);
      out.U8(trader.executing);
      out.U8(trader.side);
    }
  });
}

bool AlgorithmicTraders::Load(ByteReader& in) {
  if (in.U8() != kKind || in.U32() != size()) return false;
  return internal::LoadBooks(in, size() * kSavedTraderBytes, books_, [&](BookState& book) {
    book.traders.resize(size());
    for (Trader& trader : book.traders) {
      trader.variance = internal::GetDouble(in);
      trader.last_mid = internal::GetDouble(in);
      trader.remaining_lots = in.I64();
      trader.next_meta_lots = in.I64();
      trader.started_ns = in.I64();
      trader.returns_seen = in.U64();
      trader.executing = in.U8();
      trader.side = in.U8();
      if (trader.side > 1) return false;
    }
    return true;
  });
}

}  // namespace mf::sim
