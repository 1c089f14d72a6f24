#include "book/order_book.h"

#include <algorithm>

namespace mf {

namespace {

// Slots reserved up front so a warm book never reallocates its pool.
constexpr size_t kInitialSlots = 4096;

}  // namespace

OrderBook::OrderBook() {
  orders_.reserve(kInitialSlots);
  free_slots_.reserve(kInitialSlots);
}

void OrderBook::Clear() {
  bids_.clear();
  asks_.clear();
  orders_.clear();
  free_slots_.clear();
  ids_.Clear();
}

uint32_t OrderBook::Rest(uint64_t id, int32_t agent_id, Side side, int64_t price_ticks,
                         int64_t quantity_lots) {
  const uint32_t slot = AllocateSlot();
  orders_[slot] = Order{.id = id,
                        .price_ticks = static_cast<int32_t>(price_ticks),
                        .remaining_lots = static_cast<int32_t>(quantity_lots),
                        .agent_id = agent_id,
                        .prev = kNoSlot,
                        .next = kNoSlot,
                        .side = side};
  ids_.Insert(id, slot);

  std::vector<Level>& levels = LevelsOf(side);
  size_t position = levels.size();
  // Fast path: a new best level, or the touch itself.
  if (levels.empty() || Crosses(side, levels.back().price_ticks, price_ticks)) {
    if (levels.empty() || levels.back().price_ticks != price_ticks) {
      levels.push_back(Level{price_ticks, 0, kNoSlot, kNoSlot, 0});
    }
    position = levels.size() - 1;
  } else {
    position = LevelPosition(side, price_ticks);
    if (position == levels.size() || levels[position].price_ticks != price_ticks) {
      levels.insert(levels.begin() + static_cast<std::ptrdiff_t>(position),
                    Level{price_ticks, 0, kNoSlot, kNoSlot, 0});
    }
  }
  Level& level = levels[position];
  if (level.tail == kNoSlot) {
    level.head = slot;
  } else {
    orders_[level.tail].next = slot;
    orders_[slot].prev = level.tail;
  }
  level.tail = slot;
  level.total_lots += quantity_lots;
  ++level.order_count;
  return slot;
}

void OrderBook::Reduce(uint32_t slot, int64_t lots) {
  Order& order = orders_[slot];
  std::vector<Level>& levels = LevelsOf(order.side);
  if (!levels.empty() && levels.back().price_ticks == order.price_ticks) {
    ReduceAtBest(levels, slot, lots);
    return;
  }
  const size_t position = LevelPosition(order.side, order.price_ticks);
  Level& level = levels[position];
  if (lots < order.remaining_lots) {
    order.remaining_lots -= static_cast<int32_t>(lots);
    level.total_lots -= lots;
    return;
  }
  Unlink(level, slot);
  if (level.head == kNoSlot) levels.erase(levels.begin() + static_cast<std::ptrdiff_t>(position));
}

void OrderBook::ReduceAtBest(std::vector<Level>& levels, uint32_t slot, int64_t lots) {
  Level& level = levels.back();
  Order& order = orders_[slot];
  if (lots < order.remaining_lots) {
    order.remaining_lots -= static_cast<int32_t>(lots);
    level.total_lots -= lots;
    return;
  }
  Unlink(level, slot);
  if (level.head == kNoSlot) levels.pop_back();
}

int64_t OrderBook::CrossingLots(Side taker_side, int64_t limit_ticks, int64_t enough_lots,
                                std::optional<int32_t> excluded_agent,
                                bool stop_at_excluded) const {
  const std::vector<Level>& levels = LevelsOf(Opposite(taker_side));
  int64_t lots = 0;
  for (auto level = levels.rbegin(); level != levels.rend() && lots < enough_lots; ++level) {
    if (!Crosses(taker_side, level->price_ticks, limit_ticks)) break;
    if (!excluded_agent) {
      lots += level->total_lots;
      continue;
    }
    for (uint32_t slot = level->head; slot != kNoSlot && lots < enough_lots;
         slot = orders_[slot].next) {
      if (orders_[slot].agent_id != *excluded_agent) {
        lots += orders_[slot].remaining_lots;
      } else if (stop_at_excluded) {
        return std::min(lots, enough_lots);
      }
    }
  }
  return std::min(lots, enough_lots);
}

void OrderBook::Unlink(Level& level, uint32_t slot) {
  const Order& order = orders_[slot];
  if (order.prev == kNoSlot) {
    level.head = order.next;
  } else {
    orders_[order.prev].next = order.next;
  }
  if (order.next == kNoSlot) {
    level.tail = order.prev;
  } else {
    orders_[order.next].prev = order.prev;
  }
  level.total_lots -= order.remaining_lots;
  --level.order_count;
  ids_.Erase(order.id);
  free_slots_.push_back(slot);
}

size_t OrderBook::LevelPosition(Side side, int64_t price_ticks) {
  const std::vector<Level>& levels = LevelsOf(side);
  uint32_t& hint = level_hints_[static_cast<size_t>(side)][price_ticks & (kLevelHints - 1)];
  if (hint < levels.size() && levels[hint].price_ticks == price_ticks) return hint;
  const size_t position = SearchLevels(levels, side, price_ticks);
  hint = static_cast<uint32_t>(position);
  return position;
}

size_t OrderBook::SearchLevels(const std::vector<Level>& levels, Side side,
                               int64_t price_ticks) {
  // Branch-free lower bound: bids ascend and asks descend, so compare asks
  // on negated prices.
  const int64_t sign = side == Side::kBuy ? 1 : -1;
  const int64_t key = sign * price_ticks;
  size_t first = 0;
  size_t count = levels.size();
  while (count > 0) {
    const size_t half = count / 2;
    const bool before = sign * levels[first + half].price_ticks < key;
    first = before ? first + half + 1 : first;
    count = before ? count - half - 1 : half;
  }
  return first;
}

uint32_t OrderBook::AllocateSlot() {
  if (!free_slots_.empty()) {
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  orders_.emplace_back();
  return static_cast<uint32_t>(orders_.size() - 1);
}

}  // namespace mf
