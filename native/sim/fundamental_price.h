// The fundamental price of one book (shared/reference/taos.md §2.4,
// FundamentalPrice): geometric Brownian motion plus a fractional Brownian
// term plus compound-Poisson jumps,
//   value = X0·exp((μ − σ²/2)t + σW_t + ε·B^H_t − ½ε²t^{2H} + J_t),
// with t in units of the simulation's duration (τaos: dt = update period /
// duration), updated every update period and constant in between.
//
// The fractional Gaussian noise behind B^H is drawn for the whole run at
// construction. τaos multiplies by a Cholesky factor of the N×N covariance
// (N = duration / update period, 2 880 for a day at 30 s: a 66 MB factor per
// book); we use the Davies–Harte circulant embedding instead — exact too,
// O(N log N) time and O(N) memory — so 1 000 books fit. The path is
// regenerated from its seed on Load rather than stored.
//
// Re-seeding (τaos): every seed interval the process's random stream may be
// re-seeded from an external price, seed = round(price × 100) + 10 × book.
// Without an external price it continues its own seeded stream.
#ifndef MARKETFORGE_SIM_FUNDAMENTAL_PRICE_H_
#define MARKETFORGE_SIM_FUNDAMENTAL_PRICE_H_

#include <cstdint>
#include <vector>

#include "exchange/byte_stream.h"
#include "sim/random.h"
#include "sim/sim_params.h"

namespace mf::sim {

class FundamentalPrice {
 public:
  FundamentalPrice(const FundamentalParams& params, double x0, int64_t duration_ns,
                   uint32_t book_id, uint64_t seed);

  // Applies every update whose time is ≤ now_ns; now_ns never decreases.
  void AdvanceTo(int64_t now_ns);
  double value() const { return value_; }

  // The external price to re-seed from at the next seed interval (τaos's
  // fundamental_seed.csv); 0 or less clears it. It is used once: a feed sets
  // each new price, and without one the process continues its own stream
  // (τaos would re-seed from the last seed plus nondeterministic jitter).
  void SetExternalPrice(double price);

  void Save(ByteWriter& out) const;
  // False if the bytes are not a saved process with these parameters.
  bool Load(ByteReader& in);

 private:
  // Applies update step_ + 1, at (step_ + 1) × update period.
  void Update();

  // Fixed at construction.
  FundamentalParams params_;
  double x0_;
  int64_t duration_ns_;
  uint32_t book_id_;
  int64_t update_period_ns_;
  int64_t seed_interval_ns_;
  uint64_t steps_;             // N = duration / update period
  double dt_;                  // update period / duration
  double sqrt_dt_;
  double drift_;               // μ − σ²/2
  double two_hurst_;
  uint64_t path_seed_;
  std::vector<double> path_;   // N^{−H}·fGn, N values; empty when ε = 0

  // Evolving state (all of it is saved).
  Random random_;
  int64_t now_ns_ = 0;         // the latest time advanced to
  uint64_t step_ = 0;          // updates applied
  double brownian_ = 0;        // W_t
  double fractional_ = 0;      // B^H_t
  double jumps_ = 0;           // J_t
  double external_price_ = 0;  // pending re-seed price; 0 = none
  double value_;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_FUNDAMENTAL_PRICE_H_
