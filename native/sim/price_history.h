// One book's recent price path as the agents see it: the mid price sampled
// at every simulated second, with O(1) mean log-return over the last h
// seconds (Chiarella chartists, τaos §2.5) from a ring of prefix sums.
#ifndef MARKETFORGE_SIM_PRICE_HISTORY_H_
#define MARKETFORGE_SIM_PRICE_HISTORY_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "exchange/byte_stream.h"

namespace mf::sim {

class PriceHistory {
 public:
  // Keeps the last `capacity` one-second returns.
  explicit PriceHistory(uint32_t capacity = 4096) : sums_(capacity + 1, 0.0) {}

  // Appends the price at the end of a second (quote, > 0).
  void Add(double price) {
    if (last_price_ > 0) {
      const double r = std::log(price / last_price_);
      const double previous = sums_[count_ % sums_.size()];
      ++count_;
      sums_[count_ % sums_.size()] = previous + r;
    }
    last_price_ = price;
  }

  double last_price() const { return last_price_; }
  uint64_t returns() const { return count_; }

  // Mean one-second log return over the last `h` seconds (fewer if the
  // history is shorter); 0 with no history.
  double MeanReturn(uint32_t h) const {
    const uint64_t n = std::min<uint64_t>({h, count_, sums_.size() - 1});
    if (n == 0) return 0;
    const double latest = sums_[count_ % sums_.size()];
    const double earlier = sums_[(count_ - n) % sums_.size()];
    return (latest - earlier) / static_cast<double>(n);
  }

  void Save(ByteWriter& out) const;
  bool Load(ByteReader& in);

 private:
  std::vector<double> sums_;  // sums_[k % size] = Σ of the first k returns
  uint64_t count_ = 0;
  double last_price_ = 0;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_PRICE_HISTORY_H_
