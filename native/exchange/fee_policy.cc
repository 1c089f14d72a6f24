#include "exchange/fee_policy.h"

#include <algorithm>
#include <cstdlib>

#include "exchange/byte_stream.h"
#include "exchange/wide_int.h"

namespace mf {

namespace {

// τaos rounds |target − x| to 3 decimals and applies no adjustment at 0:
// |target − x| < 0.0005.
constexpr int64_t kNeutralBand = kRateScale / 2000;
constexpr uint32_t kMaxHistorySlots = 1 << 20;

bool IsRate(int64_t rate) { return rate > -kRateScale && rate < kRateScale; }

}  // namespace

int64_t FeeFor(int64_t notional, int64_t rate_ppb) {
  return static_cast<int64_t>(static_cast<Int128>(notional) * rate_ppb / kRateScale);
}

std::string FeePolicy::Validate(const BookConfig& config) {
  if (!IsRate(config.maker_rate) || !IsRate(config.taker_rate)) {
    return "fee rates must be strictly between -1 and 1";
  }
  switch (static_cast<FeePolicyKind>(config.fee_policy)) {
    case FeePolicyKind::kStatic:
      return "";
    case FeePolicyKind::kTiered:
      if (config.tier_count > kMaxFeeTiers) return "at most 4 fee tiers";
      for (int i = 0; i < config.tier_count; ++i) {
        const FeeTier& tier = config.tiers[i];
        if (!IsRate(tier.maker_rate) || !IsRate(tier.taker_rate) || tier.volume_required < 0) {
          return "fee tiers need rates strictly between -1 and 1 and a non-negative volume";
        }
        if (i > 0 && tier.volume_required <= config.tiers[i - 1].volume_required) {
          return "fee tiers must be sorted by strictly increasing volume";
        }
      }
      return "";
    case FeePolicyKind::kDynamic:
      if (config.target_mtr <= 0 || config.target_mtr >= kRateScale) {
        return "dynamic targetMTR must be strictly between 0 and 1";
      }
      if (config.max_maker_rate < 0 || config.max_taker_rate < 0 ||
          !IsRate(config.maker_rate + config.max_taker_rate) ||
          !IsRate(config.taker_rate + config.max_maker_rate) ||
          !IsRate(config.maker_rate - config.max_maker_rate) ||
          !IsRate(config.taker_rate - config.max_taker_rate)) {
        return "dynamic fee bounds must keep every rate strictly between -1 and 1";
      }
      if (config.history_slots == 0 || config.history_slots > kMaxHistorySlots) {
        return "dynamic historySlots must be between 1 and 1048576";
      }
      return "";
  }
  return "fee policy must be 0 (static), 1 (tiered) or 2 (dynamic)";
}

FeePolicy::FeePolicy(const BookConfig& config)
    : config_(config),
      dynamic_rates_{config.maker_rate, config.taker_rate},
      history_(static_cast<FeePolicyKind>(config.fee_policy) == FeePolicyKind::kDynamic
                   ? config.history_slots
                   : 0) {}

FeeRates FeePolicy::RatesFor(int64_t account_volume) const {
  switch (static_cast<FeePolicyKind>(config_.fee_policy)) {
    case FeePolicyKind::kTiered: {
      FeeRates rates{config_.maker_rate, config_.taker_rate};
      for (int i = 0; i < config_.tier_count; ++i) {
        if (account_volume < config_.tiers[i].volume_required) break;
        rates = {config_.tiers[i].maker_rate, config_.tiers[i].taker_rate};
      }
      return rates;
    }
    case FeePolicyKind::kDynamic:
      return dynamic_rates_;
    case FeePolicyKind::kStatic:
      break;
  }
  return {config_.maker_rate, config_.taker_rate};
}

int64_t FeePolicy::MaxRate() const {
  int64_t rate = std::max<int64_t>({0, config_.maker_rate, config_.taker_rate});
  switch (static_cast<FeePolicyKind>(config_.fee_policy)) {
    case FeePolicyKind::kTiered:
      for (int i = 0; i < config_.tier_count; ++i) {
        rate = std::max({rate, config_.tiers[i].maker_rate, config_.tiers[i].taker_rate});
      }
      break;
    case FeePolicyKind::kDynamic:
      rate = std::max({rate, config_.maker_rate + config_.max_taker_rate,
                       config_.taker_rate + config_.max_maker_rate});
      break;
    case FeePolicyKind::kStatic:
      break;
  }
  return rate;
}

void FeePolicy::RecordTrade(int64_t time_ns, int64_t notional, bool maker_is_miner,
                            bool taker_is_miner) {
  if (history_.empty() || (!maker_is_miner && !taker_is_miner)) return;
  const uint32_t slots = static_cast<uint32_t>(history_.size());
  const uint32_t newest = (history_next_ + slots - 1) % slots;
  if (history_count_ == 0 || history_[newest].time_ns != time_ns) {
    history_[history_next_] = Slot{time_ns, 0, 0};
    history_next_ = (history_next_ + 1) % slots;
    history_count_ = std::min(history_count_ + 1, slots);
  }
  Slot& slot = history_[(history_next_ + slots - 1) % slots];
  if (maker_is_miner) slot.passive += notional;
  if (taker_is_miner) slot.aggressive += notional;
}

int64_t FeePolicy::MakerTakerRatio() const {
  if (history_.empty() || history_count_ < history_.size()) return config_.target_mtr;
  Int128 passive = 0;
  Int128 aggressive = 0;
  for (const Slot& slot : history_) {
    passive += slot.passive;
    aggressive += slot.aggressive;
  }
  if (passive + aggressive == 0) return config_.target_mtr;
  return static_cast<int64_t>(passive * kRateScale / (passive + aggressive));
}

void FeePolicy::Update() {
  if (history_.empty()) return;
  const int64_t target = config_.target_mtr;
  const int64_t x = MakerTakerRatio();
  const int64_t gap = x - target;
  int64_t adjustment = 0;  // τaos f(x), ppb
  if (std::llabs(gap) >= kNeutralBand) {
    const Int128 squared = static_cast<Int128>(gap) * gap;
    if (gap < 0) {
      adjustment = -static_cast<int64_t>(config_.max_maker_rate * squared /
                                         (static_cast<Int128>(target) * target));
    } else {
      const Int128 span = kRateScale - target;
      adjustment = static_cast<int64_t>(config_.max_taker_rate * squared / (span * span));
    }
  }
  dynamic_rates_ = {config_.maker_rate + adjustment, config_.taker_rate - adjustment};
}

void FeePolicy::Save(ByteWriter& writer) const {
  writer.I64(dynamic_rates_.maker_rate);
  writer.I64(dynamic_rates_.taker_rate);
  writer.U32(history_next_);
  writer.U32(history_count_);
  for (const Slot& slot : history_) {
    writer.I64(slot.time_ns);
    writer.I64(slot.passive);
    writer.I64(slot.aggressive);
  }
}

bool FeePolicy::Load(ByteReader& reader) {
  dynamic_rates_.maker_rate = reader.I64();
  dynamic_rates_.taker_rate = reader.I64();
  history_next_ = reader.U32();
  history_count_ = reader.U32();
  for (Slot& slot : history_) {
    slot.time_ns = reader.I64();
    slot.passive = reader.I64();
    slot.aggressive = reader.I64();
  }
  const uint32_t slots = static_cast<uint32_t>(history_.size());
  return reader.ok() && history_count_ <= slots &&
         (slots == 0 ? history_next_ == 0 : history_next_ < slots) &&
         IsRate(dynamic_rates_.maker_rate) && IsRate(dynamic_rates_.taker_rate);
}

}  // namespace mf
