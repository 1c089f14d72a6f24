// The simulation's random source: xoshiro256** seeded through splitmix64,
// with the distributions the agents and processes draw from.
//
// The distributions are written out here rather than taken from <random>:
// the standard leaves their algorithms to the library, so libstdc++ and
// libc++ (the WebAssembly build) would give different draws for one seed.
// Everything below is a fixed function of the 256-bit state, so a seed
// determines every draw, and Save/Load carry a stream across checkpoints.
#ifndef MARKETFORGE_SIM_RANDOM_H_
#define MARKETFORGE_SIM_RANDOM_H_

#include <cmath>
#include <cstdint>

#include "exchange/byte_stream.h"

namespace mf::sim {

// splitmix64: one step; also used to derive independent seeds (a block's,
// a book's) from the run's seed.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A seed for stream `index` of `seed`, e.g. DeriveSeed(run_seed, block).
inline uint64_t DeriveSeed(uint64_t seed, uint64_t index) {
  uint64_t state = seed ^ (0xD1B54A32D192ED03ULL * (index + 1));
  SplitMix64(state);
  return SplitMix64(state);
}

class Random {
 public:
  explicit Random(uint64_t seed = 0) { Seed(seed); }

  void Seed(uint64_t seed) {
    uint64_t state = seed;
    for (uint64_t& word : s_) word = SplitMix64(state);
    has_spare_normal_ = false;
  }

  uint64_t NextU64() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe under log.
  double UniformPositive() { return 1.0 - Uniform(); }
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  // Uniform integer in [0, bound), bound > 0 (Lemire's multiply-shift; the
  // tiny bias for huge bounds is irrelevant here and keeps it branch-free).
  uint64_t Below(uint64_t bound) {
    __extension__ typedef unsigned __int128 Uint128;
    return static_cast<uint64_t>((static_cast<Uint128>(NextU64()) * bound) >> 64);
  }
  bool Bernoulli(double p) { return Uniform() < p; }

  // Standard normal (Marsaglia polar method; the spare is kept).
  double Normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    double u, v, s;
    do {
      u = 2.0 * Uniform() - 1.0;
      v = 2.0 * Uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_normal_ = v * factor;
    has_spare_normal_ = true;
    return u * factor;
  }
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  double LogNormal(double mu, double sigma) { return std::exp(Normal(mu, sigma)); }
  // Exponential with mean 1.
  double Exponential() { return -std::log(UniformPositive()); }
  double Laplace(double location, double scale) {
    const double u = Uniform() - 0.5;
    return location - scale * std::copysign(std::log(1.0 - 2.0 * std::fabs(u)), u);
  }
  // Pareto with minimum `scale` and tail index `shape`.
  double Pareto(double scale, double shape) {
    return scale * std::pow(UniformPositive(), -1.0 / shape);
  }
  double Rayleigh(double sigma) { return sigma * std::sqrt(-2.0 * std::log(UniformPositive())); }
  // Poisson (Knuth's product method; the processes use means well below 30).
  uint32_t Poisson(double mean) {
    const double limit = std::exp(-mean);
    uint32_t count = 0;
    double product = UniformPositive();
    while (product > limit) {
      ++count;
      product *= UniformPositive();
    }
    return count;
  }

  void Save(ByteWriter& out) const {
    for (uint64_t word : s_) out.U64(word);
    out.U8(has_spare_normal_ ? 1 : 0);
    uint64_t bits;
    static_assert(sizeof bits == sizeof spare_normal_);
    __builtin_memcpy(&bits, &spare_normal_, sizeof bits);
    out.U64(bits);
  }
  void Load(ByteReader& in) {
    for (uint64_t& word : s_) word = in.U64();
    has_spare_normal_ = in.U8() != 0;
    const uint64_t bits = in.U64();
    __builtin_memcpy(&spare_normal_, &bits, sizeof bits);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_RANDOM_H_
