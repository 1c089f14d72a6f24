// Seeded random instruction streams for the property, checkpoint and fuzz
// tests: every instruction kind, both sides, all TIF/STP modes, delays,
// sizes around the book's grids, and some deliberately malformed fields.
#ifndef MARKETFORGE_EXCHANGE_ENGINE_RANDOM_TEST_UTIL_H_
#define MARKETFORGE_EXCHANGE_ENGINE_RANDOM_TEST_UTIL_H_

#include <random>

#include "exchange/engine_test_util.h"

namespace mf::testing {

class RandomInstructions {
 public:
  RandomInstructions(uint64_t seed, int agents, uint32_t books)
      : random_(seed), agents_(agents), books_(books) {}

  Instruction Next() {
    const int roll = Int(0, 99);
    const int32_t agent = static_cast<int32_t>(Int(1, agents_));
    const Side side = Int(0, 1) == 0 ? Side::kBuy : Side::kSell;
    const int64_t price = 100 + (side == Side::kBuy ? -Int(-3, 20) : Int(-3, 20));
    Instruction in;
    if (roll < 55) {
      in = Limit(agent, side, price, Int(1, 40));
      in.time_in_force = static_cast<uint8_t>(Int(0, 9) < 7 ? 0 : Int(1, 3));
      in.expiry_ns = Int(1, 50);
      in.flags = Int(0, 9) == 0 && in.time_in_force < 2 ? kFlagPostOnly : 0;
      if (Int(0, 9) == 0) in.leverage = static_cast<uint16_t>(Int(1, 400));
    } else if (roll < 65) {
      in = Market(agent, side, Int(1, 60));
      if (Int(0, 3) == 0) {
        in.flags = kFlagQuantityInQuote;
        in.quantity = Int(1, 400) * 10'000;
      }
      in.max_slippage_bps = static_cast<uint32_t>(Int(0, 1) * Int(1, 300));
    } else if (roll < 93) {
      in = CancelOrder(agent, static_cast<uint64_t>(Int(1, 200)), Int(0, 1) * Int(1, 20));
    } else if (roll < 96) {
      in = CancelOrder(agent, static_cast<uint64_t>(Int(1, 200)));
      in.kind = static_cast<uint8_t>(InstructionKind::kClosePosition);
    } else {
      // Malformed: off-grid, negative, unknown kinds and sides.
      in = Limit(agent, side, price, Int(1, 10));
      in.price += Int(-2, 2);
      in.quantity -= Int(0, 2) * kLot;
      in.side = static_cast<uint8_t>(Int(0, 3));
      in.kind = static_cast<uint8_t>(Int(0, 6));
    }
    in.book_id = static_cast<uint32_t>(Int(0, books_ - 1));
    in.stp = static_cast<uint8_t>(Int(0, 4));
    in.client_order_id = static_cast<uint32_t>(Int(0, 1'000));
    in.delay_ns = Int(0, 20);
    return in;
  }

  int64_t Int(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random_);
  }

 private:
  std::mt19937_64 random_;
  int agents_;
  int64_t books_;
};

// Books with each fee policy, leverage allowed on all of them.
inline std::vector<BookConfig> MixedFeeBooks() {
  BookConfig fixed = TestConfig();
  fixed.maker_rate = -100'000;
  fixed.taker_rate = 700'000;
  BookConfig tiered = TestConfig();
  tiered.fee_policy = static_cast<uint8_t>(FeePolicyKind::kTiered);
  tiered.taker_rate = 2'000'000;
  tiered.tier_count = 1;
  tiered.tiers[0] = {50'000, -200'000, 300'000};
  BookConfig dynamic = TestConfig();
  dynamic.fee_policy = static_cast<uint8_t>(FeePolicyKind::kDynamic);
  dynamic.taker_rate = 230'000;
  dynamic.max_maker_rate = 15'000'000;
  dynamic.max_taker_rate = 15'000'000;
  dynamic.target_mtr = 400'000'000;
  dynamic.history_slots = 20;
  return {fixed, tiered, dynamic};
}

}  // namespace mf::testing

#endif  // MARKETFORGE_EXCHANGE_ENGINE_RANDOM_TEST_UTIL_H_
