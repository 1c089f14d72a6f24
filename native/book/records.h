// Fixed-layout records that cross the C ABI: commands in, events out.
//
// The layouts are part of the ABI (mirrored by engine/_book_layout.ts), so
// every field has a fixed width and offset, and `static_assert`s pin the
// sizes. Prices are integer ticks and quantities integer lots; the book never
// sees floats.
#ifndef MARKETFORGE_BOOK_RECORDS_H_
#define MARKETFORGE_BOOK_RECORDS_H_

#include <cstddef>
#include <cstdint>

namespace mf {

enum class Side : uint8_t { kBuy = 0, kSell = 1 };

enum class CommandKind : uint8_t { kLimit = 1, kCancel = 2 };

// One instruction to the book. For kCancel, `order_id` names the resting
// order and `quantity_lots` is how much to cancel (0 = all of it).
struct Command {
  CommandKind kind;
  Side side;
  uint16_t reserved;
  int32_t agent_id;
  uint64_t order_id;
  int64_t price_ticks;
  int64_t quantity_lots;
};
static_assert(sizeof(Command) == 32);
static_assert(offsetof(Command, order_id) == 8);
static_assert(offsetof(Command, price_ticks) == 16);
static_assert(offsetof(Command, quantity_lots) == 24);

enum class EventKind : uint8_t {
  // An accepted limit order; quantity is what rests after immediate fills
  // (τaos L3 "o" event semantics: original = quantity + sum of its fills).
  kOrderPlaced = 1,
  // A fill: order/agent are the taker's, side is the aggressor's side, price
  // is the maker's resting price.
  kTrade = 2,
  // Quantity removed from a resting order by a cancel.
  kCancelled = 3,
  // A command the book refused; `code` says why (RejectCode).
  kRejected = 4,
};

enum class RejectCode : uint16_t {
  kNone = 0,
  kInvalidPrice = 1,
  kInvalidVolume = 2,
  kInvalidSide = 3,
  kInvalidCommand = 4,
  kUnknownOrder = 5,
  kNotOrderOwner = 6,
};

struct Event {
  EventKind kind;
  Side side;
  RejectCode code;
  int32_t agent_id;
  uint64_t order_id;
  uint64_t maker_order_id;
  int64_t price_ticks;
  int64_t quantity_lots;
  int32_t maker_agent_id;
  uint32_t reserved;
};
static_assert(sizeof(Event) == 48);
static_assert(offsetof(Event, order_id) == 8);
static_assert(offsetof(Event, maker_order_id) == 16);
static_assert(offsetof(Event, price_ticks) == 24);
static_assert(offsetof(Event, quantity_lots) == 32);
static_assert(offsetof(Event, maker_agent_id) == 40);

// One aggregated price level in a depth snapshot.
struct DepthLevel {
  int64_t price_ticks;
  int64_t quantity_lots;
};
static_assert(sizeof(DepthLevel) == 16);

}  // namespace mf

#endif  // MARKETFORGE_BOOK_RECORDS_H_
