#include "sim/fundamental_price.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "sim/fractional_noise.h"

namespace mf::sim {

namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

// The two streams derived from the constructor's seed: the draws of every
// update (W and the jumps), and the fractional noise drawn once up front.
constexpr uint64_t kUpdateStream = 0;
constexpr uint64_t kPathStream = 1;

// τaos seeds from round(price × 100): the price in cents.
constexpr double kSeedPriceScale = 100;
// τaos adds 10 × book id so books fed one price still draw differently.
constexpr uint64_t kSeedBookStride = 10;
// round(price × 100) is capped here so the conversion to an integer seed is
// always defined (prices this large are not prices).
constexpr double kMaxSeedCents = 0x1p63;

int64_t SecondsToNs(double seconds) {
  return std::max<int64_t>(1, std::llround(seconds * static_cast<double>(kNsPerSecond)));
}

std::vector<double> FractionalPath(const FundamentalParams& params, uint64_t steps,
                                   uint64_t path_seed) {
  if (params.epsilon == 0 || steps == 0) return {};
  Random random(path_seed);
  std::vector<double> path = FractionalGaussianNoise(steps, params.hurst, random);
  // B^H at t = k/N is N^{−H}·Σ of k unit-grid increments (self-similarity).
  const double scale = std::pow(static_cast<double>(steps), -params.hurst);
  for (double& increment : path) increment *= scale;
  return path;
}

uint64_t Bits(double value) { return std::bit_cast<uint64_t>(value); }
double FromBits(uint64_t bits) { return std::bit_cast<double>(bits); }

}  // namespace

FundamentalPrice::FundamentalPrice(const FundamentalParams& params, double x0,
                                   int64_t duration_ns, uint32_t book_id, uint64_t seed)
    : params_(params),
      x0_(x0),
      duration_ns_(std::max<int64_t>(1, duration_ns)),
      book_id_(book_id),
      update_period_ns_(SecondsToNs(params.update_period_s)),
      seed_interval_ns_(SecondsToNs(params.seed_interval_s)),
      steps_(static_cast<uint64_t>(duration_ns_ / update_period_ns_)),
      dt_(static_cast<double>(update_period_ns_) / static_cast<double>(duration_ns_)),
      sqrt_dt_(std::sqrt(dt_)),
      drift_(params.mu - 0.5 * params.sigma * params.sigma),
      two_hurst_(2.0 * params.hurst),
      path_seed_(DeriveSeed(seed, kPathStream)),
      path_(FractionalPath(params, steps_, path_seed_)),
      random_(DeriveSeed(seed, kUpdateStream)),
      value_(x0) {}

void FundamentalPrice::SetExternalPrice(double price) {
  external_price_ = std::isfinite(price) && price > 0 ? price : 0;
}

void FundamentalPrice::AdvanceTo(int64_t now_ns) {
  if (now_ns <= now_ns_) return;
  // The process is defined on t ∈ [0, 1] (the run's duration): past its N-th
  // update it holds its last value.
  while (step_ < steps_) {
    const int64_t update_ns = static_cast<int64_t>(step_ + 1) * update_period_ns_;
    // Only a pending external price makes a seed time matter, so the seed
    // times in between are skipped, not visited. A re-seed due at the same
    // time as an update comes first, as in τaos.
    if (external_price_ > 0) {
      const int64_t seed_ns = (now_ns_ / seed_interval_ns_ + 1) * seed_interval_ns_;
      if (seed_ns <= std::min(update_ns, now_ns)) {
        const double cents = std::min(std::round(external_price_ * kSeedPriceScale), kMaxSeedCents);
        random_.Seed(static_cast<uint64_t>(cents) + kSeedBookStride * book_id_);
        external_price_ = 0;
        now_ns_ = seed_ns;
        continue;
      }
    }
    if (update_ns > now_ns) break;
    Update();
    now_ns_ = update_ns;
  }
  now_ns_ = now_ns;
}

void FundamentalPrice::Update() {
  ++step_;
  const double t = static_cast<double>(step_) * dt_;
  brownian_ += sqrt_dt_ * random_.Normal();
  // Compound Poisson: the sum of a Poisson(λ) number of N(μJ, σJ) jumps.
  // τaos multiplies the count by one draw instead; the two differ only when
  // two jumps land in one update (probability ≈ λ²/2, ~2·10⁻⁸ at τaos's λ).
  for (uint32_t count = random_.Poisson(params_.lambda); count > 0; --count) {
    jumps_ += random_.Normal(params_.jump_mean, params_.jump_sigma);
  }
  double log_return = drift_ * t + params_.sigma * brownian_ + jumps_;
  if (!path_.empty()) {
    fractional_ += path_[step_ - 1];
    // −½ε²t^{2H} makes E[exp(ε·B^H_t)·exp(−½ε²t^{2H})] = 1, as −σ²/2 does for W.
    log_return += params_.epsilon * fractional_ -
                  0.5 * params_.epsilon * params_.epsilon * std::pow(t, two_hurst_);
  }
  value_ = x0_ * std::exp(log_return);
}

void FundamentalPrice::Save(ByteWriter& out) const {
  // The settings first, so Load can refuse a process built differently.
#define MF_SAVE_PARAM(field, default_value, min, max, kind, doc) out.U64(Bits(params_.field));
  MF_FUNDAMENTAL_PARAMS(MF_SAVE_PARAM)
#undef MF_SAVE_PARAM
  out.U64(Bits(x0_));
  out.I64(duration_ns_);
  out.U32(book_id_);
  out.U64(path_seed_);
  random_.Save(out);
  out.I64(now_ns_);
  out.U64(step_);
  out.U64(Bits(brownian_));
  out.U64(Bits(fractional_));
  out.U64(Bits(jumps_));
  out.U64(Bits(external_price_));
  out.U64(Bits(value_));
}

bool FundamentalPrice::Load(ByteReader& in) {
  bool same_settings = true;
#define MF_LOAD_PARAM(field, default_value, min, max, kind, doc) \
  same_settings &= in.U64() == Bits(params_.field);
  MF_FUNDAMENTAL_PARAMS(MF_LOAD_PARAM)
#undef MF_LOAD_PARAM
  same_settings &= in.U64() == Bits(x0_);
  same_settings &= in.I64() == duration_ns_;
  same_settings &= in.U32() == book_id_;
  const uint64_t path_seed = in.U64();
  Random random;
  random.Load(in);
  const int64_t now_ns = in.I64();
  const uint64_t step = in.U64();
  const double brownian = FromBits(in.U64());
  const double fractional = FromBits(in.U64());
  const double jumps = FromBits(in.U64());
  const double external_price = FromBits(in.U64());
  const double value = FromBits(in.U64());
  if (!in.ok() || !same_settings || step > steps_ || now_ns < 0 ||
      !(std::isfinite(external_price) && external_price >= 0) || !std::isfinite(value)) {
    return false;
  }
  // The path is a function of its seed: regenerate it instead of storing N
  // doubles per book (this process may have been built with another seed).
  if (path_seed != path_seed_) {
    path_seed_ = path_seed;
    path_ = FractionalPath(params_, steps_, path_seed_);
  }
  random_ = random;
  now_ns_ = now_ns;
  step_ = step;
  brownian_ = brownian;
  fractional_ = fractional;
  jumps_ = jumps;
  external_price_ = external_price;
  value_ = value;
  return true;
}

}  // namespace mf::sim
