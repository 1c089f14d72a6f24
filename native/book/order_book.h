// A limit order book with price-time priority on integer ticks.
//
// Layout follows the fast books surveyed in shared/reference/perf.md §1:
// orders live in a pooled vector and are linked into an intrusive FIFO per
// price level; an id → slot table gives O(1) cancel; each side keeps its
// levels in a vector sorted so the best level is at the back, which makes
// the common operations (touch the best level, add near the top) cheap.
#ifndef MARKETFORGE_BOOK_ORDER_BOOK_H_
#define MARKETFORGE_BOOK_ORDER_BOOK_H_

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "book/records.h"

namespace mf {

class OrderBook {
 public:
  // Applies one command, appending what happened to `events`.
  void Apply(const Command& command, std::vector<Event>& events);

  // Fills `out` with up to out.size() levels of `side`, best first; returns
  // how many were written.
  size_t Depth(Side side, std::span<DepthLevel> out) const;

  std::optional<int64_t> BestBid() const;
  std::optional<int64_t> BestAsk() const;
  size_t RestingOrderCount() const { return slot_by_id_.size(); }

 private:
  static constexpr uint32_t kNoSlot = UINT32_MAX;

  struct RestingOrder {
    uint64_t id;
    int32_t agent_id;
    Side side;
    int64_t price_ticks;
    int64_t remaining_lots;
    uint32_t prev;
    uint32_t next;
  };

  struct PriceLevel {
    int64_t price_ticks;
    int64_t total_lots;
    uint32_t head;
    uint32_t tail;
  };

  void SubmitLimit(const Command& command, std::vector<Event>& events);
  void Cancel(const Command& command, std::vector<Event>& events);
  // Fills the taker against the opposite side; returns the unfilled lots.
  int64_t Match(uint64_t taker_id, const Command& taker, std::vector<Event>& events);
  void Rest(uint64_t id, const Command& command, int64_t remaining_lots);
  // Unlinks the order in `slot` from `level` and frees the slot.
  void Unlink(PriceLevel& level, uint32_t slot);
  std::vector<PriceLevel>& LevelsOf(Side side) { return side == Side::kBuy ? bids_ : asks_; }
  const std::vector<PriceLevel>& LevelsOf(Side side) const {
    return side == Side::kBuy ? bids_ : asks_;
  }
  // Index of the level at `price_ticks` on `side`, or where it would go.
  size_t LevelPosition(Side side, int64_t price_ticks) const;
  uint32_t AllocateSlot();

  std::vector<PriceLevel> bids_;  // ascending price: best (highest) at the back
  std::vector<PriceLevel> asks_;  // descending price: best (lowest) at the back
  std::vector<RestingOrder> orders_;
  std::vector<uint32_t> free_slots_;
  std::unordered_map<uint64_t, uint32_t> slot_by_id_;
  uint64_t next_order_id_ = 1;
};

}  // namespace mf

#endif  // MARKETFORGE_BOOK_ORDER_BOOK_H_
