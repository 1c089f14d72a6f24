// Fixed-layout records that cross the C ABI (abi/marketforge.h), mirrored
// field by field by engine/_book_layout.ts. Every field has a fixed width
// and offset, pinned by the static_asserts below; there are no pointers, so
// the layouts are the same for a 64-bit shared library and 32-bit
// WebAssembly. Integers are little-endian (both targets are).
//
// Units (shared/reference/taos.md §2.2 grids):
// - prices inside the engine are ticks of 10^-price_decimals quote;
// - quantities are lots of 10^-volume_decimals base;
// - quote balances and fees are quote units of 10^-(price_decimals +
//   volume_decimals), so price_ticks × lots is an exact quote amount;
// - instructions carry prices and quantities in wire units of 10^-8
//   (kWireDecimals), so an off-grid value is representable and is rejected
//   with PRICE_INCREMENT_VIOLATED / VOLUME_INCREMENT_VIOLATED as in τaos;
// - rates (fees, margins) are parts per billion (kRateScale = 10^9);
// - leverage is in hundredths (kLeverageScale = 100): 400 means 4×.
#ifndef MARKETFORGE_EXCHANGE_RECORDS_H_
#define MARKETFORGE_EXCHANGE_RECORDS_H_

#include <cstddef>
#include <cstdint>

namespace mf {

inline constexpr int kWireDecimals = 8;
inline constexpr int64_t kRateScale = 1'000'000'000;
inline constexpr int64_t kLeverageScale = 100;

// τaos §3.6 instruction types.
enum class InstructionKind : uint8_t {
  kPlaceLimit = 1,
  kPlaceMarket = 2,
  kCancel = 3,
  kClosePosition = 4,
};

// τaos §3.6 timeInForce wire values.
enum class TimeInForce : uint8_t { kGtc = 0, kGtt = 1, kIoc = 2, kFok = 3 };

// τaos §3.6 stpFlag wire values.
enum class SelfTradePrevention : uint8_t {
  kNone = 0,
  kCancelOldest = 1,
  kCancelNewest = 2,
  kCancelBoth = 3,
  kDecreaseAndCancel = 4,
};

inline constexpr uint8_t kFlagPostOnly = 1;
// Market orders: `quantity` is in quote (τaos currency QUOTE = 1).
inline constexpr uint8_t kFlagQuantityInQuote = 2;

// One instruction from an agent (τaos §3.6 FinanceAgentResponse entry). It
// arrives at the exchange `delay_ns` after submission.
struct Instruction {
  uint8_t kind;           // InstructionKind
  uint8_t side;           // 0 buy / 1 sell
  uint8_t time_in_force;  // TimeInForce (limit orders)
  uint8_t stp;            // SelfTradePrevention
  uint8_t flags;          // kFlagPostOnly | kFlagQuantityInQuote
  uint8_t reserved;
  uint16_t leverage;        // hundredths; 0 = unleveraged
  uint32_t book_id;
  int32_t agent_id;
  uint32_t client_order_id;
  uint32_t max_slippage_bps;  // market orders; 0 = unbounded
  int64_t delay_ns;
  int64_t price;      // wire units (limit orders)
  int64_t quantity;   // wire units of base (or quote); cancel/close: 0 = all
  uint64_t order_id;  // cancel / close target
  int64_t expiry_ns;  // GTT: lifetime after arrival
};
static_assert(sizeof(Instruction) == 64);
static_assert(offsetof(Instruction, leverage) == 6);
static_assert(offsetof(Instruction, book_id) == 8);
static_assert(offsetof(Instruction, agent_id) == 12);
static_assert(offsetof(Instruction, client_order_id) == 16);
static_assert(offsetof(Instruction, max_slippage_bps) == 20);
static_assert(offsetof(Instruction, delay_ns) == 24);
static_assert(offsetof(Instruction, price) == 32);
static_assert(offsetof(Instruction, quantity) == 40);
static_assert(offsetof(Instruction, order_id) == 48);
static_assert(offsetof(Instruction, expiry_ns) == 56);

enum class RecordKind : uint8_t {
  // L3 events (τaos §3.3), one stream per engine, every agent's activity.
  kOrderPlaced = 1,  // quantity = what rests after immediate fills
  kTrade = 2,        // taker order/agent in order_id/agent_id, maker in maker_*
  kCancelled = 3,    // quantity removed; code = CancelReason
  // Per-agent notices (τaos §3.5); recipient_agent_id says whose.
  kAccepted = 4,  // quantity = the order's original size in lots (0 if sized in quote)
  // code = RejectCode; price and quantity echo the instruction's wire values
  // (they may be off the grid), order_id its target for cancel / close.
  kRejected = 5,
  // A loan closed (code = CancelReason kRequested or kLiquidation):
  // quantity = lots traded back, taker_fee = the loan, maker_fee = what was
  // repaid (the rest was written off), in the loan's currency.
  kPositionClosed = 6,
  // kTrade and kCancelled also appear as notices; a trade notice carries the
  // recipient's own client order id.
};

// Why quantity left the book without trading.
enum class CancelReason : uint16_t {
  kRequested = 0,
  kExpired = 1,           // GTT lifetime over
  kUnfilledRemainder = 2,  // IOC / FOK / market order leftover
  kSelfTrade = 3,         // self-trade prevention
  kLiquidation = 4,       // margin call
};

// One L3 event or notice (80 bytes).
struct Record {
  uint8_t kind;  // RecordKind
  uint8_t side;
  uint16_t code;  // RejectCode (kRejected) or CancelReason (kCancelled)
  uint32_t book_id;
  int64_t time_ns;
  uint64_t order_id;
  int32_t agent_id;
  uint32_t client_order_id;
  int64_t price_ticks;  // 0 for a market order's kOrderPlaced
  int64_t quantity_lots;
  uint64_t maker_order_id;
  int32_t maker_agent_id;
  int32_t recipient_agent_id;  // notices only
  int64_t taker_fee;  // quote units; negative = rebate
  int64_t maker_fee;
};
static_assert(sizeof(Record) == 80);
static_assert(offsetof(Record, book_id) == 4);
static_assert(offsetof(Record, time_ns) == 8);
static_assert(offsetof(Record, order_id) == 16);
static_assert(offsetof(Record, agent_id) == 24);
static_assert(offsetof(Record, client_order_id) == 28);
static_assert(offsetof(Record, price_ticks) == 32);
static_assert(offsetof(Record, quantity_lots) == 40);
static_assert(offsetof(Record, maker_order_id) == 48);
static_assert(offsetof(Record, maker_agent_id) == 56);
static_assert(offsetof(Record, recipient_agent_id) == 60);
static_assert(offsetof(Record, taker_fee) == 64);
static_assert(offsetof(Record, maker_fee) == 72);

// τaos §2.3 fee policy types.
enum class FeePolicyKind : uint8_t { kStatic = 0, kTiered = 1, kDynamic = 2 };

inline constexpr int kMaxFeeTiers = 4;

struct FeeTier {
  int64_t volume_required;  // quote units traded by the account
  int64_t maker_rate;       // ppb
  int64_t taker_rate;       // ppb
};
static_assert(sizeof(FeeTier) == 24);

// Per-book configuration (τaos §2.2 exchange parameters, §2.3 fees).
struct BookConfig {
  uint8_t price_decimals;   // ≤ 8
  uint8_t volume_decimals;  // ≤ 8
  uint8_t fee_policy;       // FeePolicyKind
  uint8_t tier_count;       // tiered: tiers used, ≤ kMaxFeeTiers
  uint32_t max_open_orders;  // per agent; 0 = unlimited
  int64_t min_order_lots;    // lower bound is max(this, 1 lot)
  int64_t maker_rate;        // ppb: static rate / dynamic base makerFee
  int64_t taker_rate;        // ppb: static rate / dynamic base takerFee
  int64_t max_maker_rate;    // dynamic maxMakerRate, ppb
  int64_t max_taker_rate;    // dynamic maxTakerRate, ppb
  int64_t target_mtr;        // dynamic targetMTR, ppb
  uint32_t history_slots;    // dynamic historySlots
  uint32_t max_leverage;     // hundredths; 0 = no leverage
  int64_t max_loan;          // quote units per account; 0 = no loans
  int64_t maintenance_margin;  // ppb
  FeeTier tiers[kMaxFeeTiers];
};
static_assert(sizeof(BookConfig) == 176);
static_assert(offsetof(BookConfig, min_order_lots) == 8);
static_assert(offsetof(BookConfig, maker_rate) == 16);
static_assert(offsetof(BookConfig, history_slots) == 56);
static_assert(offsetof(BookConfig, max_leverage) == 60);
static_assert(offsetof(BookConfig, max_loan) == 64);
static_assert(offsetof(BookConfig, maintenance_margin) == 72);
static_assert(offsetof(BookConfig, tiers) == 80);

// One account (τaos §3.4), as published.
struct AccountRecord {
  int32_t agent_id;
  uint32_t book_id;
  int64_t base_total;  // lots
  int64_t base_free;
  int64_t base_reserved;
  int64_t quote_total;  // quote units
  int64_t quote_free;
  int64_t quote_reserved;
  int64_t base_loan;  // lots borrowed (short positions)
  int64_t quote_loan;  // quote borrowed (long positions)
  int64_t base_collateral;
  int64_t quote_collateral;
  int64_t fees_paid;  // quote units, rebates negative
  int64_t maker_volume;  // quote units
  int64_t taker_volume;
  int64_t maker_rate;  // current ppb
  int64_t taker_rate;
  uint32_t open_orders;
  uint32_t open_loans;
};
static_assert(sizeof(AccountRecord) == 136);
static_assert(offsetof(AccountRecord, base_total) == 8);
static_assert(offsetof(AccountRecord, fees_paid) == 88);
static_assert(offsetof(AccountRecord, open_orders) == 128);

// Depth snapshot (τaos §3.3 books: maxDepth 21, detailedDepth 5): a header,
// then `bid_levels` bid levels and `ask_levels` ask levels (best first),
// then `order_count` orders; level i lists orders
// [first_order, first_order + order_count) when it is detailed.
struct DepthHeader {
  uint32_t book_id;
  uint32_t bid_levels;
  uint32_t ask_levels;
  uint32_t order_count;
  int64_t time_ns;
};
static_assert(sizeof(DepthHeader) == 24);

struct DepthLevel {
  int64_t price_ticks;
  int64_t quantity_lots;
  uint32_t first_order;
  uint32_t order_count;  // 0 beyond the detailed levels
};
static_assert(sizeof(DepthLevel) == 24);

struct DepthOrder {
  uint64_t order_id;
  int64_t quantity_lots;
  int32_t agent_id;
  uint32_t client_order_id;
};
static_assert(sizeof(DepthOrder) == 24);

}  // namespace mf

#endif  // MARKETFORGE_EXCHANGE_RECORDS_H_
