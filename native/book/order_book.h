// A limit order book with price-time priority on integer ticks and lots.
//
// Layout follows the fast books surveyed in shared/reference/perf.md §1:
// orders live in a pooled vector (free list, no per-order allocation) and
// are linked into an intrusive FIFO per price level; an open-addressing
// id → slot table gives O(1) cancel; each side keeps its levels in a vector
// sorted so the best level is at the back, which makes the common
// operations (match at the touch, add near the top) O(1) amortised.
//
// The book knows nothing of accounts or fees. `Match` walks the opposite
// side best-first and asks a caller-supplied visitor what to do with each
// maker (fill, cancel it for self-trade prevention, stop), so the exchange
// (exchange/engine.cc) and the benchmark share one matching loop.
#ifndef MARKETFORGE_BOOK_ORDER_BOOK_H_
#define MARKETFORGE_BOOK_ORDER_BOOK_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "book/internal/order_id_table.h"

namespace mf {

enum class Side : uint8_t { kBuy = 0, kSell = 1 };

inline Side Opposite(Side side) { return side == Side::kBuy ? Side::kSell : Side::kBuy; }

// What the matching visitor wants done with the maker at the touch. The book
// takes `fill_lots + maker_cancel_lots` off the maker (removing it at zero)
// and `fill_lots + taker_cancel_lots` off the taker's remaining quantity.
struct MatchDecision {
  int64_t fill_lots = 0;
  int64_t maker_cancel_lots = 0;
  int64_t taker_cancel_lots = 0;
  bool stop = false;
};

class OrderBook {
 public:
  static constexpr uint32_t kNoSlot = UINT32_MAX;

  // 32 bytes, two to a cache line: prices and quantities fit 31 bits (the
  // exchange bounds them by Engine::kMaxTicks / kMaxLots).
  struct Order {
    uint64_t id;
    int32_t price_ticks;
    int32_t remaining_lots;
    int32_t agent_id;
    uint32_t prev;
    uint32_t next;
    Side side;
  };
  static_assert(sizeof(Order) == 32);

  struct Level {
    int64_t price_ticks;
    int64_t total_lots;
    uint32_t head;
    uint32_t tail;
    uint32_t order_count;
  };

  OrderBook();

  // Appends an order at the back of its price level's queue; the caller has
  // already matched it, so it must not cross, and its price and quantity
  // are in [1, 2^31). Returns its slot, which stays valid until the order
  // leaves the book.
  uint32_t Rest(uint64_t id, int32_t agent_id, Side side, int64_t price_ticks,
                int64_t quantity_lots);

  // Takes `lots` off the order in `slot`, removing it when nothing is left.
  void Reduce(uint32_t slot, int64_t lots);

  // The slot of resting order `id`, or kNoSlot.
  uint32_t SlotOf(uint64_t id) const { return ids_.Find(id); }
  const Order& order(uint32_t slot) const { return orders_[slot]; }

  // Matches a taker on `taker_side` limited to `limit_ticks` (inclusive)
  // against the opposite side, best price first, oldest first within a
  // price. For each maker at the touch, calls `visitor(const Order& maker,
  // uint32_t maker_slot, int64_t taker_remaining) -> MatchDecision`;
  // the visitor records fills and settles accounts, the book moves the
  // quantities. The visitor must make progress (take something off the maker
  // or the taker) or stop. Returns the taker's unfilled lots.
  template <typename Visitor>
  int64_t Match(Side taker_side, int64_t limit_ticks, int64_t quantity_lots, Visitor&& visitor) {
    std::vector<Level>& levels = LevelsOf(Opposite(taker_side));
    while (quantity_lots > 0 && !levels.empty()) {
      Level& level = levels.back();
      if (!Crosses(taker_side, level.price_ticks, limit_ticks)) break;
      const uint32_t slot = level.head;
      const MatchDecision decision =
          visitor(static_cast<const Order&>(orders_[slot]), slot, quantity_lots);
      quantity_lots -= decision.fill_lots + decision.taker_cancel_lots;
      const int64_t maker_lots = decision.fill_lots + decision.maker_cancel_lots;
      if (maker_lots > 0) ReduceAtBest(levels, slot, maker_lots);
      if (decision.stop || (maker_lots == 0 && decision.taker_cancel_lots == 0)) break;
    }
    return quantity_lots;
  }

  // Lots on the opposite side that a taker on `taker_side` limited to
  // `limit_ticks` could fill, skipping `excluded_agent`'s orders (self-trade
  // prevention) when it is set — or, with `stop_at_excluded`, counting only
  // up to the first of them; stops counting at `enough_lots`. Used for
  // fill-or-kill.
  int64_t CrossingLots(Side taker_side, int64_t limit_ticks, int64_t enough_lots,
                       std::optional<int32_t> excluded_agent, bool stop_at_excluded) const;

  // Whether a taker on `taker_side` at `limit_ticks` would trade.
  bool WouldCross(Side taker_side, int64_t limit_ticks) const {
    const std::vector<Level>& levels = LevelsOf(Opposite(taker_side));
    return !levels.empty() && Crosses(taker_side, levels.back().price_ticks, limit_ticks);
  }

  std::optional<int64_t> BestPrice(Side side) const {
    const std::vector<Level>& levels = LevelsOf(side);
    if (levels.empty()) return std::nullopt;
    return levels.back().price_ticks;
  }

  // Levels of `side`, best first: index 0 is the touch.
  size_t LevelCount(Side side) const { return LevelsOf(side).size(); }
  const Level& LevelAt(Side side, size_t index) const {
    const std::vector<Level>& levels = LevelsOf(side);
    return levels[levels.size() - 1 - index];
  }

  size_t RestingOrderCount() const { return ids_.size(); }
  // Slots in use or free: every live order's slot is below this.
  uint32_t SlotCount() const { return static_cast<uint32_t>(orders_.size()); }

  // Empties the book but keeps its memory, so a book that is refilled
  // touches no new pages.
  void Clear();

 private:
  static bool Crosses(Side taker_side, int64_t maker_price, int64_t limit_ticks) {
    return taker_side == Side::kBuy ? maker_price <= limit_ticks : maker_price >= limit_ticks;
  }

  std::vector<Level>& LevelsOf(Side side) { return side == Side::kBuy ? bids_ : asks_; }
  const std::vector<Level>& LevelsOf(Side side) const {
    return side == Side::kBuy ? bids_ : asks_;
  }

  // Index of the level at `price_ticks` on `side`, or where it would go.
  size_t LevelPosition(Side side, int64_t price_ticks);
  // The binary search behind LevelPosition.
  static size_t SearchLevels(const std::vector<Level>& levels, Side side, int64_t price_ticks);
  void ReduceAtBest(std::vector<Level>& levels, uint32_t slot, int64_t lots);
  // Unlinks the order in `slot` from `level` and frees the slot.
  void Unlink(Level& level, uint32_t slot);
  uint32_t AllocateSlot();

  // Remembered level indices, direct-mapped by price, per side. An entry is
  // only a hint: it is used when the level at that index still has the
  // price, so inserts and erases (which shift indices) need no upkeep.
  static constexpr size_t kLevelHints = 256;

  std::vector<Level> bids_;  // ascending price: best (highest) at the back
  std::vector<Level> asks_;  // descending price: best (lowest) at the back
  uint32_t level_hints_[2][kLevelHints] = {};
  std::vector<Order> orders_;
  std::vector<uint32_t> free_slots_;
  internal::OrderIdTable ids_;
};

}  // namespace mf

#endif  // MARKETFORGE_BOOK_ORDER_BOOK_H_
