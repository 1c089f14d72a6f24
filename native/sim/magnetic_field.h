// The "magnetic field" of one book (shared/reference/taos.md §2.4,
// MagneticField): an Ising-like rows × rows spin lattice in the style of
// Bornholdt's spin market, swept asynchronously every update period. It
// gives herding noise traders their sign (their cell's spin) and the
// magnetisation m ∈ [−1, 1] (the mean spin) that scales their aggression.
// α couples each spin to the global magnetisation through the cell's
// strategy spin (Bornholdt 2001; the rule is in magnetic_field.cc), β is the
// inverse temperature.
#ifndef MARKETFORGE_SIM_MAGNETIC_FIELD_H_
#define MARKETFORGE_SIM_MAGNETIC_FIELD_H_

#include <cstdint>
#include <vector>

#include "exchange/byte_stream.h"
#include "sim/random.h"
#include "sim/sim_params.h"

namespace mf::sim {

class MagneticField {
 public:
  MagneticField(const FieldParams& params, uint64_t seed);

  // Runs every sweep due at or before now_ns; now_ns never decreases.
  void AdvanceTo(int64_t now_ns);

  double magnetization() const;
  // The spin (+1 or −1) of cell index % cells.
  int Spin(uint32_t index) const;

  void Save(ByteWriter& out) const;
  bool Load(ByteReader& in);

 private:
  // One asynchronous heat-bath update of one cell and its strategy spin.
  void UpdateCell(uint32_t cell);
  // Cell (x, y) in the padded lattice below.
  uint32_t Site(uint32_t cell) const { return (cell / rows_ + 1) * stride_ + cell % rows_ + 1; }

  uint32_t rows_;
  uint32_t stride_;  // rows + 2
  uint32_t cells_;   // rows²
  double alpha_;
  double beta_;
  int64_t update_period_ns_;

  Random random_;
  // Spins S ∈ {−1, +1} in a (rows + 2)² grid whose border stays 0, so the
  // eight-neighbour sum needs no bounds checks (open boundaries, as τaos).
  std::vector<int8_t> spins_;
  // Bornholdt's strategy spins C ∈ {−1, +1}, one per cell.
  std::vector<int8_t> strategies_;
  int64_t total_spin_ = 0;  // Σ S, so m is O(1)
  uint64_t sweeps_ = 0;     // sweeps run; the next is due at (sweeps_ + 1) × period
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_MAGNETIC_FIELD_H_
