#include "sim/agents/stylized_traders.h"

#include <algorithm>
#include <cmath>

#include "sim/agents/internal/book_states.h"

namespace mf::sim {
namespace {

using internal::BookGrid;
using internal::Touch;

constexpr uint8_t kKind = static_cast<uint8_t>(PopulationKind::kStylized);

// τaos StylizedTraderAgent::configure clamps: the chartist history to
// [10, 1000] returns and the base horizon τ_i to [1 s, 3600 s].
constexpr double kHistoryMin = 10;
constexpr double kHistoryMax = 1000;
constexpr double kHorizonMinS = 1;
constexpr double kHorizonMaxS = 3600;

// One-second returns folded into the variance per wake-up at most; older
// ones weigh below 2^-17 at the default 60 s half-life.
constexpr uint32_t kVarianceFoldLimit = 1024;

// Newton on the convex, increasing CARA equations below: a few steps reach
// double precision; the cap only guards against pathological inputs.
constexpr int kMaxNewtonSteps = 40;
constexpr double kNewtonTolerance = 1e-13;

constexpr size_t kSavedTraderBytes = 6 * 8 + 4;

// Indifference price: the z = ln(p̂/P) ≥ 0 where the CARA position equals
// the free base, i.e. the root of the convex increasing
//   H(z) = z·(b·p̂ + (q + c)·e^z) − R·V·b·p̂,   H(0) ≤ 0.
// Newton from 0 overshoots once, then descends monotonically onto the root.
double IndifferenceLogDistance(double b, double q_plus_c, double p_hat, double rv) {
  if (b <= 0) return 0;
  const double bp = b * p_hat;
  double z = 0;
  for (int step = 0; step < kMaxNewtonSteps; ++step) {
    const double e = std::exp(z);
    const double h = z * (bp + q_plus_c * e) - rv * bp;
    const double slope = bp + q_plus_c * e * (1.0 + z);
    const double delta = h / slope;
    z -= delta;
    if (std::fabs(delta) <= kNewtonTolerance * (1.0 + z)) break;
  }
  return std::max(z, 0.0);
}

// Minimum price: the z in [z_ind, z_max] where buying x(P) − b spends all of
// q, the root of
//   M(z) = z·b·p̂ + (q + c)·z·e^z − R·V·(b·p̂ + q·e^z),   M(z_ind) = −R·V·q·e^z_ind ≤ 0.
// Newton kept inside a shrinking bracket (bisection when a step leaves it).
// Returns z_max when M stays negative (τaos: the minimum is one tick).
double MinimumLogDistance(double b, double q, double c, double p_hat, double rv, double z_ind,
                          double z_max) {
  const double bp = b * p_hat;
  const auto m = [&](double z) {
    const double e = std::exp(z);
    return z * bp + (q + c) * z * e - rv * (bp + q * e);
  };
  if (q <= 0) return z_ind;
  if (m(z_max) <= 0) return z_max;
  double low = z_ind;
  double high = z_max;
  double z = z_ind;
  for (int step = 0; step < kMaxNewtonSteps; ++step) {
    const double e = std::exp(z);
    const double value = z * bp + (q + c) * z * e - rv * (bp + q * e);
    if (value < 0) {
      low = z;
    } else {
      high = z;
    }
    const double slope = bp + e * ((q + c) * (1.0 + z) - rv * q);
    double next = slope > 0 ? z - value / slope : 0.5 * (low + high);
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    const double delta = next - z;
    z = next;
    if (std::fabs(delta) <= kNewtonTolerance * (1.0 + z)) break;
  }
  return z;
}

}  // namespace

StylizedTraders::StylizedTraders(const SimParams& params, int32_t first_agent_id)
    : Population(first_agent_id, static_cast<uint32_t>(params.stylized.count)),
      params_(params.stylized),
      initial_price_(params.book.initial_price),
      // Until the market has a history: the fundamental's own variance rate.
      initial_variance_per_s_(params.fundamental.sigma * params.fundamental.sigma /
                              std::max(1.0, params.simulation.duration_s)),
      chains_(params.stylized),
      variance_decay_(std::exp2(-1.0 / params.stylized.var_halflife_s)) {
  // τaos's volGuard logistic: the post-only probability crosses ½ near
  // 5·guard and runs from guard/100 to 10·guard across its whole range.
  const double guard = params_.vol_guard;
  const double logit = std::log((1.0 - guard) / guard);
  passive_slope_ = 2.0 * logit / (10.0 * guard - guard / 100.0);
  passive_midpoint_ = guard / 10.0 + logit / passive_slope_;
}

void StylizedTraders::Start(AgentContext& context, uint32_t local_book) {
  if (!grid_.ready()) grid_.Init(context.book_config());
  BookState* book = internal::StartBook(books_, local_book, size() > 0);
  if (book == nullptr) return;
  book->variance_per_s = initial_variance_per_s_;
  book->returns_seen = context.history(local_book).returns();
  Random& random = context.random();
  // τaos: weights ~ |Laplace(σ, σ)|; risk aversion, horizon and history
  // scale with (1 + σC)/(1 + σF)·(1 + F)/(1 + C), so fundamentalists are
  // more risk-averse and patient, chartists quicker.
  const double class_scale = (1.0 + params_.sigma_c) / (1.0 + params_.sigma_f);
  const double history_base = std::floor(params_.tau_hist * class_scale);
  book->traders.resize(size());
  for (uint32_t i = 0; i < size(); ++i) {
    const double f = std::fabs(random.Laplace(params_.sigma_f, params_.sigma_f));
    const double c = std::fabs(random.Laplace(params_.sigma_c, params_.sigma_c));
    const double n = std::fabs(random.Laplace(params_.sigma_n, params_.sigma_n));
    const double total = f + c + n;
    const double trait_scale = (1.0 + f) / (1.0 + c);
    Trader& trader = book->traders[i];
    trader.fundamental_weight = total > 0 ? f / total : 0.0;
    trader.chartist_weight = total > 0 ? c / total : 0.0;
    trader.noise_weight = total > 0 ? n / total : 1.0;
    trader.risk_aversion = params_.risk_aversion * class_scale * trait_scale;
    const double history =
        std::clamp(std::ceil(history_base * trait_scale), kHistoryMin, kHistoryMax);
    trader.history_s = static_cast<uint32_t>(history);
    trader.forecast_scale = std::max(1.0, std::log(history));
    const double tau_s =
        std::clamp(std::ceil(params_.order_life_s * class_scale * trait_scale), kHorizonMinS,
                   kHorizonMaxS);
    trader.horizon_s = tau_s * trader.forecast_scale;
    // Wealth uniform in [min, max] (τaos uniform-50), half of it in base.
    const double wealth = random.Uniform(std::min(params_.wealth_min, params_.wealth_max),
                                         std::max(params_.wealth_min, params_.wealth_max));
    internal::DepositHalfInBase(context, grid_, agent_id(i), local_book, wealth, initial_price_);
  }
  chains_.Start(context, kKind, local_book, book->chains);
}

void StylizedTraders::Wake(AgentContext& context, uint32_t local_book, uint32_t index) {
  BookState* book = internal::StartedBook(books_, local_book);
  if (book == nullptr || index >= size()) return;
  chains_.PassTurn(context, kKind, local_book, index, 0.0, book->chains);
  Decide(context, local_book, index);
}

void StylizedTraders::Decide(AgentContext& context, uint32_t local_book, uint32_t index) {
  if (!grid_.ready()) grid_.Init(context.book_config());
  BookState& book = books_[local_book];
  const PriceHistory& history = context.history(local_book);
  internal::ForEachNewReturn(history, book.returns_seen, kVarianceFoldLimit, [&](double r) {
    book.variance_per_s = variance_decay_ * book.variance_per_s + (1.0 - variance_decay_) * r * r;
  });
  const Account* account = context.account(agent_id(index), local_book);
  if (account == nullptr) return;
  Random& random = context.random();
  const Trader& trader = book.traders[index];
  const Touch touch = internal::ReadTouch(context.book(local_book));
  const double price = internal::ReferencePrice(touch, context, local_book, grid_, initial_price_);
  const double tick = grid_.tick();
  if (!(price > tick)) return;

  // Forecast (Chiarella, Iori & Perelló 2009 as τaos weighs it).
  const double fundamental = context.fundamental_price(local_book);
  const double fundamental_term =
      fundamental > 0 ? std::log(fundamental / price) / params_.tau_f : 0.0;
  const double chartist_term = history.MeanReturn(trader.history_s);
  const double noise_term = random.Normal(0.0, params_.noise_sd);
  const double forecast_return =
      std::clamp(trader.fundamental_weight * fundamental_term +
                     trader.chartist_weight * chartist_term + trader.noise_weight * noise_term,
                 -1.0, 1.0);
  const double p_hat = price * std::exp(forecast_return * trader.forecast_scale);
  // τaos's V is the variance of the recent one-second returns, not scaled
  // to the horizon: its risk aversion (1630) is calibrated to that. Scaled
  // by a ~2,400 s horizon, R·V reaches ~1 from bid–ask bounce alone, every
  // indifference price sits far below the market and the books crash.
  const double relative_tick = tick / price;
  const double variance =
      std::max(book.variance_per_s, relative_tick * relative_tick / trader.horizon_s);
  const double rv = trader.risk_aversion * variance;
  if (!(rv > 0) || !(p_hat > tick)) return;

  // The CARA prices, in z = ln(p̂/P).
  const double b = grid_.Base(account->base.free);
  const double q = grid_.Quote(account->quote.free);
  const double c = params_.hara;
  const double z_max = std::log(p_hat / tick);
  const double z_indifference = IndifferenceLogDistance(b, q + c, p_hat, rv);
  if (z_indifference >= z_max) return;
  const double z_minimum = MinimumLogDistance(b, q, c, p_hat, rv, z_indifference, z_max);
  const double indifference_price = p_hat * std::exp(-z_indifference);
  const double low = std::max(p_hat * std::exp(-z_minimum), tick);
  if (!(low < p_hat)) return;
  const double sampled = random.Uniform(low, p_hat);
  const double passive_probability =
      1.0 / (1.0 + std::exp(-passive_slope_ * (variance - passive_midpoint_)));
  const bool passive = random.Bernoulli(passive_probability);
  const double position = std::log(p_hat / sampled) * (b * sampled + q + c) / (rv * sampled);
  if (sampled < indifference_price) {
    SubmitBuy(context, local_book, index, *account, touch, price, sampled, position - b, passive,
              trader.horizon_s);
  } else if (sampled > indifference_price) {
    SubmitSell(context, local_book, index, *account, touch, price, sampled, b - position,
               passive, trader.horizon_s);
  }
}

void StylizedTraders::SubmitBuy(AgentContext& context, uint32_t local_book, uint32_t index,
                                const Account& account, const Touch& touch, double price,
                                double sampled, double volume, bool passive, double life_s) {
  Random& random = context.random();
  int64_t ticks = grid_.NearestTicks(sampled);
  if (ticks <= 0) return;
  // τaos keeps feeReserveFrac of the quote back.
  volume = std::min(volume, grid_.Quote(account.quote.free) / grid_.Price(ticks) *
                                (1.0 - params_.fee_reserve));
  int64_t lots = grid_.FloorLots(volume);
  if (lots < grid_.min_lots()) return;
  if (!passive && sampled > price * (1.0 + params_.market_threshold) &&
      random.Bernoulli(std::pow((sampled - price) / price, params_.market_exponent))) {
    // The engine fills a market buy as far as the free quote pays; it only
    // refuses one that cannot pay a lot at the touch.
    if (touch.ask_ticks <= 0 || account.quote.free < touch.ask_ticks) return;
    context.Submit(grid_.Market(agent_id(index), local_book, Side::kBuy, lots,
                                internal::FeedAndOrderLatencyNs(random, params_)));
    return;
  }
  if (passive && touch.ask_ticks > 0 && ticks >= touch.ask_ticks) ticks = touch.ask_ticks - 1;
  if (ticks <= 0 || !grid_.HasRoom(account, 1)) return;
  lots = std::min(lots, grid_.AffordableLots(account.quote.free, ticks));
  if (lots < grid_.min_lots()) return;
  context.Submit(grid_.Limit(agent_id(index), local_book, Side::kBuy, ticks, lots,
                             internal::FeedAndOrderLatencyNs(random, params_),
                             internal::SecondsToNs(life_s)));
}

void StylizedTraders::SubmitSell(AgentContext& context, uint32_t local_book, uint32_t index,
                                 const Account& account, const Touch& touch, double price,
                                 double sampled, double volume, bool passive, double life_s) {
  Random& random = context.random();
  int64_t ticks = grid_.NearestTicks(sampled);
  if (ticks <= 0) return;
  const int64_t lots = std::min(grid_.FloorLots(volume), account.base.free);
  if (lots < grid_.min_lots()) return;
  if (!passive && sampled < price * (1.0 - params_.market_threshold) &&
      random.Bernoulli(std::pow((price - sampled) / price, params_.market_exponent))) {
    if (touch.bid_ticks <= 0) return;
    context.Submit(grid_.Market(agent_id(index), local_book, Side::kSell, lots,
                                internal::FeedAndOrderLatencyNs(random, params_)));
    return;
  }
  if (passive && touch.bid_ticks > 0 && ticks <= touch.bid_ticks) ticks = touch.bid_ticks + 1;
  if (!grid_.HasRoom(account, 1)) return;
  context.Submit(grid_.Limit(agent_id(index), local_book, Side::kSell, ticks, lots,
                             internal::FeedAndOrderLatencyNs(random, params_),
                             internal::SecondsToNs(life_s)));
}

void StylizedTraders::Save(ByteWriter& out) const {
  out.U8(kKind);
  out.U32(size());
  out.U32(chains_.count());
  internal::SaveBooks(out, books_, [&](const BookState& book) {
    for (const Trader& trader : book.traders) {
      internal::PutDouble(out, trader.fundamental_weight);
      internal::PutDouble(out, trader.chartist_weight);
      internal::PutDouble(out, trader.noise_weight);
      internal::PutDouble(out, trader.risk_aversion);
      internal::PutDouble(out, trader.horizon_s);
      internal::PutDouble(out, trader.forecast_scale);
      out.U32(trader.history_s);
    }
    chains_.Save(out, book.chains);
    internal::PutDouble(out, book.variance_per_s);
    out.U64(book.returns_seen);
  });
}

bool StylizedTraders::Load(ByteReader& in) {
  if (in.U8() != kKind || in.U32() != size() || in.U32() != chains_.count()) return false;
  return internal::LoadBooks(in, size() * kSavedTraderBytes, books_, [&](BookState& book) {
    book.traders.resize(size());
    for (Trader& trader : book.traders) {
      trader.fundamental_weight = internal::GetDouble(in);
      trader.chartist_weight = internal::GetDouble(in);
      trader.noise_weight = internal::GetDouble(in);
      trader.risk_aversion = internal::GetDouble(in);
      trader.horizon_s = internal::GetDouble(in);
      trader.forecast_scale = internal::GetDouble(in);
      trader.history_s = in.U32();
    }
    chains_.Load(in, book.chains);
    book.variance_per_s = internal::GetDouble(in);
    book.returns_seen = in.U64();
    return true;
  });
}

}  // namespace mf::sim
