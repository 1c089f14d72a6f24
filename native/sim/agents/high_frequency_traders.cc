#include "sim/agents/high_frequency_traders.h"

#include <algorithm>
#include <cmath>

#include "sim/agents/internal/book_states.h"

namespace mf::sim {
namespace {

using internal::BookGrid;
using internal::Touch;

constexpr uint8_t kKind = static_cast<uint8_t>(PopulationKind::kHighFrequency);

// τaos HighFrequencyTraderAgent::configure: δ_i = δ·(1 + (γ − γ_i)/γ_i)
// clamped to [0.67 δ, 1.34 δ], so bolder makers requote more often.
constexpr double kRequoteClampLow = 0.67;
constexpr double kRequoteClampHigh = 1.34;
// A maker's γ_i and ψ_i are kept positive (a tenth of the mean at least).
constexpr double kMinShareOfMean = 0.1;
// τaos rebalances only an inventory above 0.1 base, drawing the size
// uniformly from 0.1 base up to the inventory or the touch volume.
constexpr double kMinRebalanceBase = 0.1;

constexpr size_t kSavedMakerBytes = 6 * 8 + 8 + 4;

}  // namespace

HighFrequencyTraders::HighFrequencyTraders(const SimParams& params, int32_t first_agent_id)
    : Population(first_agent_id, static_cast<uint32_t>(params.hft.count)),
      params_(params.hft),
      initial_price_(params.book.initial_price),
      duration_ns_(internal::SecondsToNs(params.simulation.duration_s)),
      feed_latency_ns_(std::llround(params.hft.feed_latency_ms * internal::kNsPerMs)),
      min_period_ns_(std::max<int64_t>(
          1, feed_latency_ns_ + std::llround(std::max(params.hft.order_latency_min_ms,
                                                       params.hft.order_latency_max_ms) *
                                              internal::kNsPerMs))),
      rayleigh_shift_(params.hft.noise_ray *
                      std::sqrt(-2.0 * std::log(1.0 - params.hft.shift_percentile))) {}

void HighFrequencyTraders::Start(AgentContext& context, uint32_t local_book) {
  if (!grid_.ready()) grid_.Init(context.book_config());
  BookState* book = internal::StartBook(books_, local_book);
  if (book == nullptr) return;
  Random& random = context.random();
  const double requote_ns = params_.requote_ms * internal::kNsPerMs;
  const int64_t base_lots = grid_.BaseLots(params_.base);
  book->makers.resize(size());
  for (uint32_t i = 0; i < size(); ++i) {
    Maker& maker = book->makers[i];
    maker.gamma = std::max(random.Normal(params_.gamma, params_.gamma_sd),
                           kMinShareOfMean * params_.gamma);
    maker.requote_ns = std::clamp(requote_ns * (1.0 + (params_.gamma - maker.gamma) / maker.gamma),
                                  kRequoteClampLow * requote_ns, kRequoteClampHigh * requote_ns);
    maker.psi = std::max(random.Normal(params_.psi_mean, params_.psi_sd),
                         kMinShareOfMean * params_.psi_mean);
    maker.bid_size = random.LogNormal(params_.size_mu, params_.size_sigma);
    maker.ask_size = random.LogNormal(params_.size_mu, params_.size_sigma);
    maker.reservation_price = initial_price_;
    maker.initial_base_lots = base_lots;
    maker.inventory_sign = 0;
    context.Deposit(agent_id(i), local_book, base_lots, grid_.QuoteUnits(params_.quote));
  }
  // τaos: the first book read goes out at once.
  for (uint32_t i = 0; i < size(); ++i) context.WakeAfter(1, kKind, local_book, i);
}

void HighFrequencyTraders::Wake(AgentContext& context, uint32_t local_book, uint32_t index) {
  BookState* book = internal::StartedBook(books_, local_book);
  if (book == nullptr || index >= size()) return;
  if (!grid_.ready()) grid_.Init(context.book_config());
  Maker& maker = book->makers[index];
  const Account* account = context.account(agent_id(index), local_book);
  const double inventory =
      account == nullptr ? 0.0 : grid_.Base(account->base.total() - maker.initial_base_lots);
  // The requote period shrinks once |q| nears ψ_i; quotes live life_periods of it.
  const double period_ns = maker.requote_ns / (1.0 + std::exp(std::fabs(inventory) - maker.psi));
  const int64_t life_ns = std::max<int64_t>(
      std::llround(params_.life_periods * static_cast<double>(feed_latency_ns_)),
      static_cast<int64_t>(std::ceil(params_.life_periods * period_ns)));
  context.WakeAfter(std::max(static_cast<int64_t>(period_ns), min_period_ns_), kKind, local_book,
                    index);
  if (account != nullptr) Quote(context, local_book, index, *account, maker, inventory, life_ns);
}

void HighFrequencyTraders::Quote(AgentContext& context, uint32_t local_book, uint32_t index,
                                 const Account& account, Maker& maker, double inventory,
                                 int64_t life_ns) {
  Random& random = context.random();
  const Touch touch = internal::ReadTouch(context.book(local_book));
  const double tick = grid_.tick();
  const double last =
      internal::ReferencePrice(touch, context, local_book, grid_, initial_price_);
  const double bid = touch.bid_ticks > 0 ? grid_.Price(touch.bid_ticks) : last;
  const double ask = touch.ask_ticks > 0 ? grid_.Price(touch.ask_ticks) : last;
  const double mid = (bid + ask) / 2.0;
  if (!(mid > tick)) return;

  // Avellaneda–Stoikov with the horizon T = the run.
  const double time_left =
      std::clamp(1.0 - static_cast<double>(context.now_ns()) / static_cast<double>(duration_ns_),
                 0.0, 1.0);
  maker.reservation_price = mid - maker.gamma * inventory * params_.sigma_sq * time_left;
  const double reservation = maker.reservation_price;
  double relative_spread = (ask - bid) / mid;
  if (!std::isfinite(relative_spread) || touch.bid_ticks <= 0 || touch.ask_ticks <= 0) {
    relative_spread = params_.target_spread;
  }
  const int inventory_sign = (inventory > 0) - (inventory < 0);
  if (inventory_sign != 0 && inventory_sign != maker.inventory_sign) {
    maker.bid_size = random.LogNormal(params_.size_mu, params_.size_sigma);
    maker.ask_size = random.LogNormal(params_.size_mu, params_.size_sigma);
    maker.inventory_sign = inventory_sign;
  }
  const double maker_rate =
      static_cast<double>(context.book_config().maker_rate) / static_cast<double>(kRateScale);
  double spread = (params_.sigma_sq * maker.gamma * time_left +
                   2.0 / maker.gamma * std::log(1.0 + maker.gamma / params_.kappa)) *
                  (1.0 + maker_rate * params_.rate_sensitivity);
  spread = std::max(spread, params_.min_spread_ticks * tick);
  const double bid_noise = random.Rayleigh(params_.noise_ray) - rayleigh_shift_;
  double bid_price = reservation - spread / 2.0 - bid_noise;
  const double ask_noise = random.Rayleigh(params_.noise_ray) - rayleigh_shift_;
  double ask_price = reservation + spread / 2.0 + ask_noise;
  if (params_.undercut_ticks > 0) {
    // Step inside the touch where the A–S band allows it.
    const double step = params_.undercut_ticks * tick;
    if (touch.ask_ticks > 0) {
      ask_price = std::max(reservation + spread / 2.0, std::min(ask_price, ask - step));
    }
    if (touch.bid_ticks > 0) {
      bid_price = std::min(reservation - spread / 2.0, std::max(bid_price, bid + step));
    }
    if (bid_price >= ask_price) {
      bid_price = reservation - spread / 2.0;
      ask_price = reservation + spread / 2.0;
    }
  }

  const double tight_odds =
      std::exp(-std::pow(relative_spread / params_.rebalance_spread_base,
                         params_.rebalance_spread_exp));
  const double rate_gap = maker_rate - params_.rebalance_rate_max;
  const double rate_odds = std::exp(-rate_gap * rate_gap / (2.0 * params_.rebalance_rate_var));
  const double inventory_odds =
      std::clamp(std::fabs(inventory) / maker.psi, params_.rebalance_rate_var,
                 1.0 - params_.rebalance_rate_var);
  const bool rebalance = random.Bernoulli(tight_odds * rate_odds * inventory_odds);
  if (rebalance && std::fabs(inventory) > kMinRebalanceBase) {
    const Side side = inventory <= 0 ? Side::kBuy : Side::kSell;
    const int64_t touch_lots = side == Side::kBuy ? touch.ask_lots : touch.bid_lots;
    const double most = std::min(std::fabs(inventory), grid_.Base(touch_lots));
    if (most <= kMinRebalanceBase) return;
    int64_t lots = grid_.FloorLots(random.Uniform(kMinRebalanceBase, most));
    if (side == Side::kSell) lots = std::min(lots, account.base.free);
    if (lots < grid_.min_lots()) return;
    if (side == Side::kBuy && account.quote.free < touch.ask_ticks) return;
    context.Submit(grid_.Market(agent_id(index), local_book, side, lots, OrderDelayNs(random)));
    return;
  }
  if (!grid_.HasRoom(account, 2)) return;
  const int64_t ask_ticks = grid_.NearestTicks(ask_price);
  const int64_t ask_lots = std::min(grid_.FloorLots(maker.ask_size), account.base.free);
  if (ask_ticks > 0 && ask_lots >= grid_.min_lots()) {
    context.Submit(grid_.Limit(agent_id(index), local_book, Side::kSell, ask_ticks, ask_lots,
                               OrderDelayNs(random), life_ns));
  }
  const int64_t bid_ticks = grid_.NearestTicks(bid_price);
  const int64_t bid_lots = std::min(grid_.FloorLots(maker.bid_size),
                                    grid_.AffordableLots(account.quote.free, bid_ticks));
  if (bid_ticks > 0 && bid_lots >= grid_.min_lots()) {
    context.Submit(grid_.Limit(agent_id(index), local_book, Side::kBuy, bid_ticks, bid_lots,
                               OrderDelayNs(random), life_ns));
  }
}

int64_t HighFrequencyTraders::OrderDelayNs(Random& random) const {
  return feed_latency_ns_ + internal::OrderLatencyNs(random, params_.order_latency_min_ms,
                                                     params_.order_latency_max_ms);
}

void HighFrequencyTraders::Save(ByteWriter& out) const {
  out.U8(kKind);
  out.U32(size());
  internal::SaveBooks(out, books_, [&](const BookState& book) {
    for (const Maker& maker : book.makers) {
      internal::PutDouble(out, maker.gamma);
      internal::PutDouble(out, maker.requote_ns);
      internal::PutDouble(out, maker.psi);
      internal::PutDouble(out, maker.bid_size);
      internal::PutDouble(out, maker.ask_size);
      internal::PutDouble(out, maker.reservation_price);
      out.I64(maker.initial_base_lots);
      out.I32(maker.inventory_sign);
    }
  });
}

bool HighFrequencyTraders::Load(ByteReader& in) {
  if (in.U8() != kKind || in.U32() != size()) return false;
  return internal::LoadBooks(in, size() * kSavedMakerBytes, books_, [&](BookState& book) {
    book.makers.resize(size());
    for (Maker& maker : book.makers) {
      maker.gamma = internal::GetDouble(in);
      maker.requote_ns = internal::GetDouble(in);
      maker.psi = internal::GetDouble(in);
      maker.bid_size = internal::GetDouble(in);
      maker.ask_size = internal::GetDouble(in);
      maker.reservation_price = internal::GetDouble(in);
      maker.initial_base_lots = in.I64();
      maker.inventory_sign = in.I32();
    }
    return true;
  });
}

}  // namespace mf::sim
