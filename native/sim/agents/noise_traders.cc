#include "sim/agents/noise_traders.h"

#include <algorithm>
#include <cmath>

#include "sim/agents/internal/book_states.h"

namespace mf::sim {
namespace {

using internal::Touch;

constexpr uint8_t kKind = static_cast<uint8_t>(PopulationKind::kNoise);

// τaos NoiseTraderAgent::samplePrice: a Beta draw with concentration 6
// (α + β = 6 around the mode).
constexpr double kBetaConcentration = 6.0;
// τaos sizes a herding market buy as share·q / (p·(1 + 3σ)).
constexpr double kMarketBuyVarianceMargin = 3.0;

constexpr size_t kSavedTraderBytes = 8;

}  // namespace

NoiseTraders::NoiseTraders(const SimParams& params, int32_t first_agent_id)
    : Population(first_agent_id, static_cast<uint32_t>(params.noise.count)),
      params_(params.noise),
      initial_price_(params.book.initial_price),
      chains_(params.noise) {}

void NoiseTraders::Start(AgentContext& context, uint32_t local_book) {
  if (!grid_.ready()) grid_.Init(context.book_config());
  BookState* book = internal::StartBook(books_, local_book, size() > 0);
  if (book == nullptr) return;
  Random& random = context.random();
  const double wealth_floor = std::min(params_.wealth_min, params_.wealth_max);
  const double wealth_cap = std::max(params_.wealth_min, params_.wealth_max);
  book->size_base.resize(size());
  for (uint32_t i = 0; i < size(); ++i) {
    book->size_base[i] = random.LogNormal(params_.size_mu, params_.size_sigma);
    // Pareto wealth with floor and cap, half of it in base.
    const double wealth =
        std::min(random.Pareto(wealth_floor, params_.wealth_shape), wealth_cap);
    internal::DepositHalfInBase(context, grid_, agent_id(i), local_book, wealth, initial_price_);
  }
  chains_.Start(context, kKind, local_book, book->chains);
}

void NoiseTraders::Wake(AgentContext& context, uint32_t local_book, uint32_t index) {
  BookState* book = internal::StartedBook(books_, local_book);
  if (book == nullptr || index >= size()) return;
  const double herding = std::fabs(context.field(local_book).magnetization());
  // ln(1 − |m|) is −∞ at full magnetisation; NextAcdDuration then falls back
  // to the stationary ψ, as τaos does.
  const double field_response = params_.acd_gamma * std::log(1.0 - herding);
  chains_.PassTurn(context, kKind, local_book, index, field_response, book->chains);
  Decide(context, local_book, index);
}

void NoiseTraders::Decide(AgentContext& context, uint32_t local_book, uint32_t index) {
  if (!grid_.ready()) grid_.Init(context.book_config());
  const Account* account = context.account(agent_id(index), local_book);
  if (account == nullptr) return;
  Random& random = context.random();
  const Touch touch = internal::ReadTouch(context.book(local_book));
  const double price = internal::ReferencePrice(touch, context, local_book, grid_, initial_price_);
  const double tick = grid_.tick();
  if (!(price > tick)) return;

  const MagneticField& field = context.field(local_book);
  const int sign = field.Spin(index);
  const double m = field.magnetization();
  const double herding = std::fabs(m);
  const double share = params_.balance_coef * (1.0 + sign * m) / 2.0;
  const double b = grid_.Base(account->base.free);
  const double q = grid_.Quote(account->quote.free);
  const double variance = params_.sigma_exp;

  double weight;
  if (sign * m > 0) {
    if (random.Bernoulli(herding)) {
      // Herd with a market order.
      if (sign > 0) {
        const int64_t lots =
            grid_.FloorLots(share * q / (price * (1.0 + kMarketBuyVarianceMargin * variance)));
        if (lots < grid_.min_lots() || touch.ask_ticks <= 0 ||
            account->quote.free < touch.ask_ticks) {
          return;
        }
        context.Submit(grid_.Market(agent_id(index), local_book, Side::kBuy, lots,
                                    internal::FeedAndOrderLatencyNs(random, params_)));
      } else {
        const int64_t lots = std::min(grid_.FloorLots(share * b), account->base.free);
        if (lots < grid_.min_lots() || touch.bid_ticks <= 0) return;
        context.Submit(grid_.Market(agent_id(index), local_book, Side::kSell, lots,
                                    internal::FeedAndOrderLatencyNs(random, params_)));
      }
      return;
    }
    weight = std::fabs(0.5 - herding);
  } else {
    weight = 1.0 - herding;
  }

  // CARA prices in z = ln(f/P): x(P) = b  ⇔  (z + σ)e^z = σ·f·b, and
  // P·(x(P) − b) = q  ⇔  (z + σ(1 − q))·e^{z + σ(1 − q)} = σ·b·f·e^{σ(1 − q)}.
  const double forecast = price * std::exp(variance + params_.field_weight * m);
  if (!(forecast > tick)) return;
  const double z_indifference =
      internal::LambertW0(variance * forecast * b * std::exp(variance)) - variance;
  const double indifference_price = forecast * std::exp(-z_indifference);
  if (!(indifference_price >= tick)) return;
  const double z_minimum =
      internal::LambertW0(variance * b * forecast * std::exp(variance * (1.0 - q))) +
      variance * (q - 1.0);
  const double low = std::max(forecast * std::exp(-z_minimum), tick);
  const double high = forecast;
  if (!(low < high)) return;

  // The Beta draw (τaos samplePrice).
  const double at = std::clamp((indifference_price - low) / (high - low), 0.0, 1.0);
  const double mode =
      std::clamp(sign >= 0 ? at * (1.0 - weight) : at + (1.0 - at) * weight, 0.0, 1.0);
  const double sampled =
      low + internal::BetaDraw(random, mode * (kBetaConcentration - 2.0) + 1.0,
                               (1.0 - mode) * (kBetaConcentration - 2.0) + 1.0) *
                (high - low);
  const int64_t ticks = grid_.NearestTicks(sampled);
  if (ticks <= 0 || !grid_.HasRoom(*account, 1)) return;
  const double position = (std::log(forecast / sampled) + variance) / (variance * sampled);
  const double size_cap = share * books_[local_book].size_base[index];
  if (sampled < indifference_price) {
    const double volume =
        std::min({position - b, q / grid_.Price(ticks) * (1.0 - params_.fee_reserve), size_cap});
    const int64_t lots = std::min(grid_.FloorLots(volume),
                                  grid_.AffordableLots(account->quote.free, ticks));
    if (lots < grid_.min_lots()) return;
    context.Submit(grid_.Limit(agent_id(index), local_book, Side::kBuy, ticks, lots,
                               internal::FeedAndOrderLatencyNs(random, params_),
                               internal::SecondsToNs(params_.life_s)));
  } else if (sampled > indifference_price) {
    const int64_t lots =
        std::min(grid_.FloorLots(std::min(b - position, size_cap)), account->base.free);
    if (lots < grid_.min_lots()) return;
    context.Submit(grid_.Limit(agent_id(index), local_book, Side::kSell, ticks, lots,
                               internal::FeedAndOrderLatencyNs(random, params_),
                               internal::SecondsToNs(params_.life_s)));
  }
}

void NoiseTraders::Save(ByteWriter& out) const {
  out.U8(kKind);
  out.U32(size());
  out.U32(chains_.count());
  internal::SaveBooks(out, books_, [&](const BookState& book) {
    for (double trader_size : book.size_base) internal::PutDouble(out, trader_size);
    chains_.Save(out, book.chains);
  });
}

bool NoiseTraders::Load(ByteReader& in) {
  if (in.U8() != kKind || in.U32() != size() || in.U32() != chains_.count()) return false;
  return internal::LoadBooks(in, size() * kSavedTraderBytes, books_, [&](BookState& book) {
    book.size_base.resize(size());
    for (double& trader_size : book.size_base) trader_size = internal::GetDouble(in);
    chains_.Load(in, book.chains);
    return true;
  });
}

}  // namespace mf::sim
