// Maker/taker fee rates of one book (shared/reference/taos.md §2.3): static,
// tiered by the account's traded volume, or τaos's dynamic maker-taker-ratio
// policy ("DIS").
//
// Fixed-point maths: rates are int64 parts per billion (kRateScale); a fee is
// notional × rate / 10^9 computed in 128 bits and truncated toward zero, so
// charges never round against the trader and a rebate (negative rate) is
// never larger than its exact value. Order reservations use MaxRate(), an
// upper bound of every rate the policy can produce, so a resting buy order
// can always pay its fee whatever the rate is when it fills.
#ifndef MARKETFORGE_EXCHANGE_FEE_POLICY_H_
#define MARKETFORGE_EXCHANGE_FEE_POLICY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "exchange/records.h"

namespace mf {

class ByteWriter;
class ByteReader;

struct FeeRates {
  int64_t maker_rate = 0;  // ppb; negative = rebate
  int64_t taker_rate = 0;
};

// notional × rate_ppb / 10^9, truncated toward zero.
int64_t FeeFor(int64_t notional, int64_t rate_ppb);

class FeePolicy {
 public:
  // Checks `config`'s fee fields; returns an empty string when valid, else
  // why not (e.g. "dynamic targetMTR must be strictly between 0 and 1").
  static std::string Validate(const BookConfig& config);

  explicit FeePolicy(const BookConfig& config);

  // Rates for an account that has traded `account_volume` quote units.
  FeeRates RatesFor(int64_t account_volume) const;

  // The largest rate any maker or taker can be charged (≥ 0).
  int64_t MaxRate() const;

  // Records a trade for the dynamic policy's maker-taker ratio: miners
  // (agent id ≥ 0) only, one history slot per distinct timestamp.
  void RecordTrade(int64_t time_ns, int64_t notional, bool maker_is_miner, bool taker_is_miner);

  // Recomputes the dynamic rates from the history (τaos: before each step).
  void Update();

  // The dynamic policy's current maker-taker ratio x, in ppb.
  int64_t MakerTakerRatio() const;

  void Save(ByteWriter& writer) const;
  // Restores what Save wrote; returns false on inconsistent input.
  bool Load(ByteReader& reader);

 private:
  struct Slot {
    int64_t time_ns;
    int64_t passive;
    int64_t aggressive;
  };

  BookConfig config_;
  FeeRates dynamic_rates_;
  std::vector<Slot> history_;  // ring of config_.history_slots
  uint32_t history_next_ = 0;
  uint32_t history_count_ = 0;
};

}  // namespace mf

#endif  // MARKETFORGE_EXCHANGE_FEE_POLICY_H_
