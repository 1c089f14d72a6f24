// Bornholdt's spin market (S. Bornholdt, "Expectation bubbles in a spin model
// of markets", Int. J. Mod. Phys. C 12 (2001) 667) on τaos's lattice.
//
// A cell i, picked at random, takes spin S_i = +1 with probability
//   p = 1 / (1 + exp(−2β·h_i)),   h_i = Σ_{j ∈ N(i)} S_j − α·C_i·|m|,
// where N(i) are its eight neighbours with open boundaries and unit coupling
// (τaos: 8 directions, interactionCoef 1) and m = Σ S / cells, the live
// magnetisation. Then its strategy spin flips, C_i → −C_i, when
// α·S_i·C_i·Σ S < 0: an agent in the majority (S_i·m > 0) turns to C_i = +1
// and is pushed toward the minority, one in the minority turns to C_i = −1
// and is pulled toward the majority. That frustration between local
// herding and the global term is what makes m intermittent (Bornholdt §3).
// τaos's MagneticField is the special case C_i ≡ S_i with m frozen for a
// sweep; we keep Bornholdt's strategy spins and live m.
//
// A sweep is `cells` random single-cell updates (one Monte Carlo step per
// cell on average; τaos does cells − 1).
#include "sim/magnetic_field.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mf::sim {

namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

// Saved cell byte: bit 0 set = spin up, bit 1 set = strategy up.
constexpr uint8_t kSpinUpBit = 1;
constexpr uint8_t kStrategyUpBit = 2;

int8_t RandomSpin(Random& random) { return (random.NextU64() >> 63) != 0 ? 1 : -1; }

}  // namespace

MagneticField::MagneticField(const FieldParams& params, uint64_t seed)
    : rows_(static_cast<uint32_t>(std::max(1.0, std::round(params.rows)))),
      stride_(rows_ + 2),
      cells_(rows_ * rows_),
      alpha_(params.alpha),
      beta_(params.beta),
      update_period_ns_(std::max<int64_t>(
          1, std::llround(params.update_period_s * static_cast<double>(kNsPerSecond)))),
      random_(seed),
      spins_(static_cast<size_t>(stride_) * stride_, 0),
      strategies_(cells_) {
  for (uint32_t cell = 0; cell < cells_; ++cell) {
    const int8_t spin = RandomSpin(random_);
    spins_[Site(cell)] = spin;
    total_spin_ += spin;
  }
  for (int8_t& strategy : strategies_) strategy = RandomSpin(random_);
}

double MagneticField::magnetization() const {
  return static_cast<double>(total_spin_) / static_cast<double>(cells_);
}

int MagneticField::Spin(uint32_t index) const { return spins_[Site(index % cells_)]; }

void MagneticField::AdvanceTo(int64_t now_ns) {
  while (static_cast<int64_t>(sweeps_ + 1) * update_period_ns_ <= now_ns) {
    for (uint32_t i = 0; i < cells_; ++i) {
      UpdateCell(static_cast<uint32_t>(random_.Below(cells_)));
    }
    ++sweeps_;
  }
}

void MagneticField::UpdateCell(uint32_t cell) {
  const uint32_t site = Site(cell);
  const int8_t* above = spins_.data() + site - stride_;
  const int8_t* here = spins_.data() + site;
  const int8_t* below = spins_.data() + site + stride_;
  const int neighbours =
      above[-1] + above[0] + above[1] + here[-1] + here[1] + below[-1] + below[0] + below[1];
  const double m = static_cast<double>(total_spin_) / static_cast<double>(cells_);
  const double field = neighbours - alpha_ * strategies_[cell] * std::fabs(m);
  const double p_up = 1.0 / (1.0 + std::exp(-2.0 * beta_ * field));
  const int8_t spin = random_.Uniform() < p_up ? 1 : -1;
  total_spin_ += spin - *here;
  spins_[site] = spin;
  if (alpha_ * spin * strategies_[cell] * static_cast<double>(total_spin_) < 0) {
    strategies_[cell] = static_cast<int8_t>(-strategies_[cell]);
  }
}

void MagneticField::Save(ByteWriter& out) const {
  out.U32(rows_);
  out.U64(std::bit_cast<uint64_t>(alpha_));
  out.U64(std::bit_cast<uint64_t>(beta_));
  out.I64(update_period_ns_);
  random_.Save(out);
  out.U64(sweeps_);
  for (uint32_t cell = 0; cell < cells_; ++cell) {
    out.U8(static_cast<uint8_t>((spins_[Site(cell)] > 0 ? kSpinUpBit : 0) |
                                (strategies_[cell] > 0 ? kStrategyUpBit : 0)));
  }
}

bool MagneticField::Load(ByteReader& in) {
  const bool same_settings = in.U32() == rows_ &&
                             in.U64() == std::bit_cast<uint64_t>(alpha_) &&
                             in.U64() == std::bit_cast<uint64_t>(beta_) &&
                             in.I64() == update_period_ns_;
  if (!same_settings || in.remaining() < cells_) return false;
  Random random;
  random.Load(in);
  const uint64_t sweeps = in.U64();
  if (!in.ok() || in.remaining() < cells_) return false;
  random_ = random;
  sweeps_ = sweeps;
  total_spin_ = 0;
  bool cells_valid = true;
  for (uint32_t cell = 0; cell < cells_; ++cell) {
    const uint8_t bits = in.U8();
    cells_valid &= (bits & ~(kSpinUpBit | kStrategyUpBit)) == 0;
    const int8_t spin = (bits & kSpinUpBit) != 0 ? 1 : -1;
    spins_[Site(cell)] = spin;
    strategies_[cell] = (bits & kStrategyUpBit) != 0 ? 1 : -1;
    total_spin_ += spin;
  }
  return in.ok() && cells_valid;
}

}  // namespace mf::sim
