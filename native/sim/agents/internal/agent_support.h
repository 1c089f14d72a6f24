// What the background populations share: the book's grid and the exchange's
// fee reservation, τaos's latency and log-ACD duration models, the draws
// <random> would give differently per library (gamma, beta, Lambert W), and
// byte helpers for checkpoints. Everything here is header-only and cheap:
// it runs inside agent wake-ups (a few per simulated second per agent).
#ifndef MARKETFORGE_SIM_AGENTS_INTERNAL_AGENT_SUPPORT_H_
#define MARKETFORGE_SIM_AGENTS_INTERNAL_AGENT_SUPPORT_H_

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>

#include "book/order_book.h"
#include "exchange/account.h"
#include "exchange/byte_stream.h"
#include "exchange/engine.h"
#include "exchange/records.h"
#include "exchange/wide_int.h"
#include "sim/agent_context.h"
#include "sim/price_history.h"
#include "sim/random.h"

namespace mf::sim::internal {

inline constexpr int64_t kNsPerSecond = 1'000'000'000;
inline constexpr double kNsPerMs = 1e6;

// τaos draws every agent's order latency as lerp(min, max, X) with X a
// Rayleigh variate of scale 0.235 cut at 1 (opLatencyScaleRay's default):
// most orders land near the minimum, a few near the maximum.
inline constexpr double kOrderLatencyRayleighScale = 0.235;

// Open orders an agent leaves unused below the exchange's maxOpenOrders, so
// an order still in flight can never push it over (τaos §2.2: 100 per book).
inline constexpr uint32_t kOpenOrderHeadroom = 2;

// The grid of one book in the units the agents think in (quote per base,
// base) and the conversions to the engine's integers (records.h).
class BookGrid {
 public:
  bool ready() const { return ready_; }

  void Init(const BookConfig& config) {
    tick_ = std::pow(10.0, -config.price_decimals);
    ticks_per_quote_ = std::pow(10.0, config.price_decimals);
    lots_per_base_ = std::pow(10.0, config.volume_decimals);
    base_per_lot_ = 1.0 / lots_per_base_;
    quote_per_unit_ = std::pow(10.0, -(config.price_decimals + config.volume_decimals));
    wire_per_tick_ = Pow10(kWireDecimals - config.price_decimals);
    wire_per_lot_ = Pow10(kWireDecimals - config.volume_decimals);
    min_lots_ = std::max<int64_t>(config.min_order_lots, 1);
    max_open_orders_ = config.max_open_orders;
    // An upper bound of the exchange's reservation rate (FeePolicy::MaxRate):
    // a buy reserves notional + notional × that rate.
    int64_t rate = std::max<int64_t>({0, config.maker_rate, config.taker_rate});
    rate += std::max<int64_t>({0, config.max_maker_rate, config.max_taker_rate});
    for (int i = 0; i < config.tier_count && i < kMaxFeeTiers; ++i) {
      rate = std::max({rate, config.tiers[i].maker_rate, config.tiers[i].taker_rate});
    }
    fee_rate_ppb_ = rate;
    ready_ = true;
  }

  double tick() const { return tick_; }
  int64_t min_lots() const { return min_lots_; }

  // The nearest tick of `price`, or 0 when that is not a valid price.
  int64_t NearestTicks(double price) const {
    return ValidTicks(std::round(price * ticks_per_quote_));
  }
  int64_t FloorTicks(double price) const {
    return ValidTicks(std::floor(price * ticks_per_quote_));
  }
  // Whole lots in `base` (rounded down), 0 for anything not positive.
  int64_t FloorLots(double base) const {
    const double lots = std::floor(base * lots_per_base_);
    if (!(lots >= 1.0)) return 0;
    return lots >= static_cast<double>(Engine::kMaxLots) ? Engine::kMaxLots
                                                         : static_cast<int64_t>(lots);
  }

  double Price(int64_t ticks) const { return static_cast<double>(ticks) * tick_; }
  double Base(int64_t lots) const { return static_cast<double>(lots) * base_per_lot_; }
  double Quote(int64_t units) const { return static_cast<double>(units) * quote_per_unit_; }
  int64_t BaseLots(double base) const { return std::llround(base * lots_per_base_); }
  int64_t QuoteUnits(double quote) const { return std::llround(quote / quote_per_unit_); }

  // The most lots a limit buy at `ticks` can reserve from `free_quote` units,
  // fee reservation included.
  int64_t AffordableLots(int64_t free_quote, int64_t ticks) const {
    if (free_quote <= 0 || ticks <= 0) return 0;
    const Int128 lots = static_cast<Int128>(free_quote) * kRateScale /
                        (static_cast<Int128>(ticks) * (kRateScale + fee_rate_ppb_));
    return lots > Engine::kMaxLots ? Engine::kMaxLots : static_cast<int64_t>(lots);
  }

  // Quote units a limit buy of `lots` at `ticks` reserves at most.
  int64_t BuyReservation(int64_t ticks, int64_t lots) const {
    const Int128 notional = static_cast<Int128>(ticks) * lots;
    return static_cast<int64_t>(notional +
                                (notional * fee_rate_ppb_ + kRateScale - 1) / kRateScale);
  }

  // Orders one side of an agent may rest, headroom kept (0 = no limit).
  uint32_t OrdersPerSide() const {
    if (max_open_orders_ == 0) return 0;
    return (max_open_orders_ - std::min(max_open_orders_, kOpenOrderHeadroom)) / 2;
  }

  // Whether the account may rest `orders` more orders.
  bool HasRoom(const Account& account, uint32_t orders) const {
    return max_open_orders_ == 0 ||
           account.open_orders + orders + kOpenOrderHeadroom <= max_open_orders_;
  }

  // A GTT limit order on this grid (τaos tau: it expires `life_ns` after it
  // arrives, so the agent never needs to cancel it). Self-trade prevention
  // cancels the agent's own older order rather than trading with it.
  Instruction Limit(int32_t agent_id, uint32_t book, Side side, int64_t ticks, int64_t lots,
                    int64_t delay_ns, int64_t life_ns) const {
    Instruction instruction{};
    instruction.kind = static_cast<uint8_t>(InstructionKind::kPlaceLimit);
    instruction.side = static_cast<uint8_t>(side);
    instruction.time_in_force = static_cast<uint8_t>(TimeInForce::kGtt);
    instruction.stp = static_cast<uint8_t>(SelfTradePrevention::kCancelOldest);
    instruction.book_id = book;
    instruction.agent_id = agent_id;
    instruction.delay_ns = delay_ns;
    instruction.price = ticks * wire_per_tick_;
    instruction.quantity = lots * wire_per_lot_;
    instruction.expiry_ns = std::max<int64_t>(life_ns, 1);
    return instruction;
  }

  Instruction Market(int32_t agent_id, uint32_t book, Side side, int64_t lots,
                     int64_t delay_ns) const {
    Instruction instruction{};
    instruction.kind = static_cast<uint8_t>(InstructionKind::kPlaceMarket);
    instruction.side = static_cast<uint8_t>(side);
    instruction.time_in_force = static_cast<uint8_t>(TimeInForce::kGtc);
    instruction.stp = static_cast<uint8_t>(SelfTradePrevention::kCancelOldest);
    instruction.book_id = book;
    instruction.agent_id = agent_id;
    instruction.delay_ns = delay_ns;
    instruction.quantity = lots * wire_per_lot_;
    return instruction;
  }

 private:
  static int64_t Pow10(int exponent) {
    int64_t value = 1;
    for (int i = 0; i < exponent; ++i) value *= 10;
    return value;
  }
  static int64_t ValidTicks(double ticks) {
    return ticks >= 1.0 && ticks <= static_cast<double>(Engine::kMaxTicks)
               ? static_cast<int64_t>(ticks)
               : 0;
  }

  bool ready_ = false;
  double tick_ = 0.01;
  double ticks_per_quote_ = 100;
  double lots_per_base_ = 1e4;
  double base_per_lot_ = 1e-4;
  double quote_per_unit_ = 1e-6;
  int64_t wire_per_tick_ = 1;
  int64_t wire_per_lot_ = 1;
  int64_t min_lots_ = 1;
  uint32_t max_open_orders_ = 0;
  int64_t fee_rate_ppb_ = 0;
};

// The touch of one book: best prices (0 = side empty) and their volumes.
struct Touch {
  int64_t bid_ticks = 0;
  int64_t ask_ticks = 0;
  int64_t bid_lots = 0;
  int64_t ask_lots = 0;
};

inline Touch ReadTouch(const OrderBook& book) {
  Touch touch;
  if (book.LevelCount(Side::kBuy) > 0) {
    const OrderBook::Level& level = book.LevelAt(Side::kBuy, 0);
    touch.bid_ticks = level.price_ticks;
    touch.bid_lots = level.total_lots;
  }
  if (book.LevelCount(Side::kSell) > 0) {
    const OrderBook::Level& level = book.LevelAt(Side::kSell, 0);
    touch.ask_ticks = level.price_ticks;
    touch.ask_lots = level.total_lots;
  }
  return touch;
}

// The price an agent values the book at: the mid when both sides show, else
// the last trade, else the last sampled price, else `fallback`.
inline double ReferencePrice(const Touch& touch, const AgentContext& context,
                             uint32_t local_book, const BookGrid& grid, double fallback) {
  if (touch.bid_ticks > 0 && touch.ask_ticks > 0) {
    return grid.Price(touch.bid_ticks + touch.ask_ticks) / 2.0;
  }
  const int64_t last = context.last_trade_ticks(local_book);
  if (last > 0) return grid.Price(last);
  const double sampled = context.history(local_book).last_price();
  return sampled > 0 ? sampled : fallback;
}

// Opens a stylized or noise trader's account with its starting `wealth`
// (quote) split as τaos splits it: half in base at `price`, half in quote.
inline void DepositHalfInBase(AgentContext& context, const BookGrid& grid, int32_t agent_id,
                              uint32_t local_book, double wealth, double price) {
  context.Deposit(agent_id, local_book, grid.BaseLots(wealth / 2.0 / price),
                  grid.QuoteUnits(wealth / 2.0));
}

// τaos marketFeedLatency: |N(mean, sd)| capped at mean + 3 sd.
inline int64_t FeedLatencyNs(Random& random, double mean_ms, double sd_ms) {
  const double ms = std::min(std::fabs(random.Normal(mean_ms, sd_ms)), mean_ms + 3.0 * sd_ms);
  return std::llround(ms * kNsPerMs);
}

// τaos orderPlacementLatency (see kOrderLatencyRayleighScale).
inline int64_t OrderLatencyNs(Random& random, double min_ms, double max_ms) {
  const double x = std::min(random.Rayleigh(kOrderLatencyRayleighScale), 1.0);
  return std::llround((min_ms + (max_ms - min_ms) * x) * kNsPerMs);
}

// An order's delay for a population whose feed latency varies (stylized,
// noise and algorithmic traders; `params` their group in SimParams): the
// feed latency, as the data is as of the wake-up (agent_context.h), then the
// order latency, drawn in that order.
template <typename Params>
int64_t FeedAndOrderLatencyNs(Random& random, const Params& params) {
  const int64_t feed = FeedLatencyNs(random, params.feed_latency_ms, params.feed_latency_sd_ms);
  return feed + OrderLatencyNs(random, params.order_latency_min_ms, params.order_latency_max_ms);
}

// A log-ACD duration process (Bauwens & Giot 2000) as τaos runs it, one per
// population and book: ψ' = ω + α·ln d + β·ψ + extra, d' = e^ψ'·ε with
// ε ~ Exp(1), clamped to [min, max]; durations in nanoseconds, so τaos's ω
// (4.61 for stylized traders) means e^(ω/(1−α−β)) ≈ 10 s.
struct AcdModel {
  double omega = 0;
  double alpha = 0;
  double beta = 0;
  int64_t min_ns = 1;
  int64_t max_ns = 1;

  // The stationary ψ, where τaos starts the clock.
  double StationaryPsi() const {
    const double persistence = 1.0 - alpha - beta;
    return persistence > 0 ? omega / persistence : omega;
  }
};

struct AcdClock {
  double log_duration = 0;  // ln of the last (clamped) duration, ns
  double psi = 0;
};

inline AcdClock StartAcd(const AcdModel& model) {
  const double psi = model.StationaryPsi();
  return AcdClock{psi, psi};
}

inline int64_t NextAcdDuration(AcdClock& clock, const AcdModel& model, double extra,
                               Random& random) {
  double psi = model.omega + model.alpha * clock.log_duration + model.beta * clock.psi + extra;
  if (!std::isfinite(psi)) psi = model.StationaryPsi();
  double duration = std::exp(psi) * random.Exponential();
  const double longest = static_cast<double>(model.max_ns);
  if (!(duration <= longest)) duration = longest;
  const int64_t ns = std::clamp(static_cast<int64_t>(duration), model.min_ns, model.max_ns);
  clock.log_duration = std::log(static_cast<double>(ns));
  clock.psi = psi;
  return ns;
}

inline int64_t SecondsToNs(double seconds) {
  return std::max<int64_t>(1, std::llround(seconds * static_cast<double>(kNsPerSecond)));
}

// Agents of a population are dealt round-robin into `chains` wake-up chains
// (agent i in chain i % chains); a chain's wake hands the next turn to one
// of its members at random (τaos selectTurn).
inline uint32_t PickInChain(Random& random, uint32_t chain, uint32_t chains, uint32_t agents) {
  const uint32_t members = (agents - chain + chains - 1) / chains;
  return chain + chains * static_cast<uint32_t>(random.Below(members));
}

// Gamma(shape ≥ 1, 1) by Marsaglia & Tsang (2000).
inline double GammaDraw(Random& random, double shape) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = random.Normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = random.UniformPositive();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

// Beta(a, b) for a, b ≥ 1, from two gamma draws.
inline double BetaDraw(Random& random, double a, double b) {
  const double x = GammaDraw(random, a);
  const double y = GammaDraw(random, b);
  return x / (x + y);
}

// The principal branch of Lambert's W for x ≥ 0 (w·e^w = x), by Halley's
// method; a handful of iterations from a close start.
inline double LambertW0(double x) {
  if (!(x > 0)) return 0;
  double w = x < 3.0 ? std::log1p(x) : std::log(x) - std::log(std::log(x));
  for (int i = 0; i < 12; ++i) {
    const double e = std::exp(w);
    const double f = w * e - x;
    const double step = f / (e * (w + 1.0) - (w + 2.0) * f / (2.0 * w + 2.0));
    w -= step;
    if (std::fabs(step) <= 1e-15 * (1.0 + std::fabs(w))) break;
  }
  return w;
}

// Calls `visit(r)` for every one-second log return `history` gained since
// `seen` returns, oldest first, and moves `seen` on. At most `limit` of the
// newest are visited (older ones no longer matter to an EWMA); `limit` must
// not exceed what the history keeps (PriceHistory's default 4 096).
template <typename Visitor>
void ForEachNewReturn(const PriceHistory& history, uint64_t& seen, uint32_t limit,
                      Visitor&& visit) {
  const uint64_t total = history.returns();
  if (total <= seen) {
    seen = total;
    return;
  }
  const uint32_t fresh = static_cast<uint32_t>(std::min<uint64_t>(total - seen, limit));
  // k·MeanReturn(k) is the sum of the last k returns, so the k-th newest
  // return is the difference of two such sums.
  double last_k_sum = static_cast<double>(fresh) * history.MeanReturn(fresh);
  for (uint32_t k = fresh; k >= 1; --k) {
    const double last_k_minus_one_sum =
        k > 1 ? static_cast<double>(k - 1) * history.MeanReturn(k - 1) : 0.0;
    visit(last_k_sum - last_k_minus_one_sum);
    last_k_sum = last_k_minus_one_sum;
  }
  seen = total;
}

inline void PutDouble(ByteWriter& out, double value) { out.U64(std::bit_cast<uint64_t>(value)); }
inline double GetDouble(ByteReader& in) { return std::bit_cast<double>(in.U64()); }

inline void PutAcd(ByteWriter& out, const AcdClock& clock) {
  PutDouble(out, clock.log_duration);
  PutDouble(out, clock.psi);
}
inline AcdClock GetAcd(ByteReader& in) {
  AcdClock clock;
  clock.log_duration = GetDouble(in);
  clock.psi = GetDouble(in);
  return clock;
}

}  // namespace mf::sim::internal

#endif  // MARKETFORGE_SIM_AGENTS_INTERNAL_AGENT_SUPPORT_H_
