#include "sim/price_history.h"

#include <bit>

namespace mf::sim {

// Only the window MeanReturn can reach is saved: the prefix sums of the last
// min(count, capacity) returns and the one before them. Early in a run that
// is a few entries instead of the whole ring; the slots left out are never
// read again (Add overwrites before it reads past the window).
void PriceHistory::Save(ByteWriter& out) const {
  const uint64_t size = sums_.size();
  const uint64_t window = std::min<uint64_t>(count_, size - 1);
  out.U64(size);
  out.U64(count_);
  out.U64(std::bit_cast<uint64_t>(last_price_));
  for (uint64_t k = count_ - window; k <= count_; ++k) {
    out.U64(std::bit_cast<uint64_t>(sums_[k % size]));
  }
}

bool PriceHistory::Load(ByteReader& in) {
  const uint64_t size = sums_.size();
  if (in.U64() != size) return false;
  const uint64_t count = in.U64();
  const double last_price = std::bit_cast<double>(in.U64());
  const uint64_t window = std::min<uint64_t>(count, size - 1);
  if (!in.ok() || !(std::isfinite(last_price) && last_price >= 0) ||
      in.remaining() / sizeof(uint64_t) < window + 1) {
    return false;
  }
  count_ = count;
  last_price_ = last_price;
  std::fill(sums_.begin(), sums_.end(), 0.0);
  for (uint64_t k = count_ - window; k <= count_; ++k) {
    sums_[k % size] = std::bit_cast<double>(in.U64());
  }
  return in.ok();
}

}  // namespace mf::sim
