#include "book/order_book.h"

#include <algorithm>

namespace mf {

namespace {

Event RejectionOf(const Command& command, RejectCode code) {
  return Event{.kind = EventKind::kRejected,
               .side = command.side,
               .code = code,
               .agent_id = command.agent_id,
               .order_id = command.order_id,
               .maker_order_id = 0,
               .price_ticks = command.price_ticks,
               .quantity_lots = command.quantity_lots,
               .maker_agent_id = 0,
               .reserved = 0};
}

bool IsValidSide(Side side) { return side == Side::kBuy || side == Side::kSell; }

Side Opposite(Side side) { return side == Side::kBuy ? Side::kSell : Side::kBuy; }

}  // namespace

void OrderBook::Apply(const Command& command, std::vector<Event>& events) {
  switch (command.kind) {
    case CommandKind::kLimit:
      SubmitLimit(command, events);
      return;
    case CommandKind::kCancel:
      Cancel(command, events);
      return;
  }
  events.push_back(RejectionOf(command, RejectCode::kInvalidCommand));
}

void OrderBook::SubmitLimit(const Command& command, std::vector<Event>& events) {
  if (!IsValidSide(command.side)) {
    events.push_back(RejectionOf(command, RejectCode::kInvalidSide));
    return;
  }
  if (command.price_ticks <= 0) {
    events.push_back(RejectionOf(command, RejectCode::kInvalidPrice));
    return;
  }
  if (command.quantity_lots <= 0) {
    events.push_back(RejectionOf(command, RejectCode::kInvalidVolume));
    return;
  }
  const uint64_t id = next_order_id_++;
  const size_t placed_index = events.size();
  events.push_back(Event{.kind = EventKind::kOrderPlaced,
                         .side = command.side,
                         .code = RejectCode::kNone,
                         .agent_id = command.agent_id,
                         .order_id = id,
                         .maker_order_id = 0,
                         .price_ticks = command.price_ticks,
                         .quantity_lots = command.quantity_lots,
                         .maker_agent_id = 0,
                         .reserved = 0});
  const int64_t remaining_lots = Match(id, command, events);
  events[placed_index].quantity_lots = remaining_lots;
  if (remaining_lots > 0) Rest(id, command, remaining_lots);
}

int64_t OrderBook::Match(uint64_t taker_id, const Command& taker, std::vector<Event>& events) {
  std::vector<PriceLevel>& opposite = LevelsOf(Opposite(taker.side));
  int64_t remaining_lots = taker.quantity_lots;
  while (remaining_lots > 0 && !opposite.empty()) {
    PriceLevel& level = opposite.back();
    const bool crosses = taker.side == Side::kBuy ? level.price_ticks <= taker.price_ticks
                                                  : level.price_ticks >= taker.price_ticks;
    if (!crosses) break;
    while (remaining_lots > 0 && level.head != kNoSlot) {
      const uint32_t maker_slot = level.head;
      RestingOrder& maker = orders_[maker_slot];
      const int64_t fill_lots = std::min(remaining_lots, maker.remaining_lots);
      events.push_back(Event{.kind = EventKind::kTrade,
                             .side = taker.side,
                             .code = RejectCode::kNone,
                             .agent_id = taker.agent_id,
                             .order_id = taker_id,
                             .maker_order_id = maker.id,
                             .price_ticks = level.price_ticks,
                             .quantity_lots = fill_lots,
                             .maker_agent_id = maker.agent_id,
                             .reserved = 0});
      remaining_lots -= fill_lots;
      if (fill_lots == maker.remaining_lots) {
        Unlink(level, maker_slot);
      } else {
        maker.remaining_lots -= fill_lots;
        level.total_lots -= fill_lots;
      }
    }
    if (level.head == kNoSlot) opposite.pop_back();
  }
  return remaining_lots;
}

void OrderBook::Rest(uint64_t id, const Command& command, int64_t remaining_lots) {
  const uint32_t slot = AllocateSlot();
  orders_[slot] = RestingOrder{.id = id,
                               .agent_id = command.agent_id,
                               .side = command.side,
                               .price_ticks = command.price_ticks,
                               .remaining_lots = remaining_lots,
                               .prev = kNoSlot,
                               .next = kNoSlot};
  slot_by_id_.emplace(id, slot);

  std::vector<PriceLevel>& levels = LevelsOf(command.side);
  const size_t position = LevelPosition(command.side, command.price_ticks);
  if (position == levels.size() || levels[position].price_ticks != command.price_ticks) {
    levels.insert(levels.begin() + static_cast<std::ptrdiff_t>(position),
                  PriceLevel{.price_ticks = command.price_ticks,
                             .total_lots = 0,
                             .head = kNoSlot,
                             .tail = kNoSlot});
  }
  PriceLevel& level = levels[position];
  if (level.tail == kNoSlot) {
    level.head = slot;
  } else {
    orders_[level.tail].next = slot;
    orders_[slot].prev = level.tail;
  }
  level.tail = slot;
  level.total_lots += remaining_lots;
}

void OrderBook::Cancel(const Command& command, std::vector<Event>& events) {
  const auto found = slot_by_id_.find(command.order_id);
  if (found == slot_by_id_.end()) {
    events.push_back(RejectionOf(command, RejectCode::kUnknownOrder));
    return;
  }
  if (command.quantity_lots < 0) {
    events.push_back(RejectionOf(command, RejectCode::kInvalidVolume));
    return;
  }
  const uint32_t slot = found->second;
  RestingOrder& order = orders_[slot];
  if (order.agent_id != command.agent_id) {
    events.push_back(RejectionOf(command, RejectCode::kNotOrderOwner));
    return;
  }
  std::vector<PriceLevel>& levels = LevelsOf(order.side);
  const size_t position = LevelPosition(order.side, order.price_ticks);
  PriceLevel& level = levels[position];
  const bool cancels_all = command.quantity_lots == 0 || command.quantity_lots >= order.remaining_lots;
  const int64_t cancelled_lots = cancels_all ? order.remaining_lots : command.quantity_lots;
  events.push_back(Event{.kind = EventKind::kCancelled,
                         .side = order.side,
                         .code = RejectCode::kNone,
                         .agent_id = order.agent_id,
                         .order_id = order.id,
                         .maker_order_id = 0,
                         .price_ticks = order.price_ticks,
                         .quantity_lots = cancelled_lots,
                         .maker_agent_id = 0,
                         .reserved = 0});
  if (!cancels_all) {
    order.remaining_lots -= cancelled_lots;
    level.total_lots -= cancelled_lots;
    return;
  }
  Unlink(level, slot);
  if (level.head == kNoSlot) levels.erase(levels.begin() + static_cast<std::ptrdiff_t>(position));
}

void OrderBook::Unlink(PriceLevel& level, uint32_t slot) {
  const RestingOrder& order = orders_[slot];
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
  slot_by_id_.erase(order.id);
  free_slots_.push_back(slot);
}

size_t OrderBook::LevelPosition(Side side, int64_t price_ticks) const {
  const std::vector<PriceLevel>& levels = LevelsOf(side);
  const auto before = [side](const PriceLevel& level, int64_t price) {
    return side == Side::kBuy ? level.price_ticks < price : level.price_ticks > price;
  };
  return static_cast<size_t>(
      std::lower_bound(levels.begin(), levels.end(), price_ticks, before) - levels.begin());
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

size_t OrderBook::Depth(Side side, std::span<DepthLevel> out) const {
  const std::vector<PriceLevel>& levels = LevelsOf(side);
  const size_t count = std::min(out.size(), levels.size());
  for (size_t i = 0; i < count; ++i) {
    const PriceLevel& level = levels[levels.size() - 1 - i];
    out[i] = DepthLevel{.price_ticks = level.price_ticks, .quantity_lots = level.total_lots};
  }
  return count;
}

std::optional<int64_t> OrderBook::BestBid() const {
  if (bids_.empty()) return std::nullopt;
  return bids_.back().price_ticks;
}

std::optional<int64_t> OrderBook::BestAsk() const {
  if (asks_.empty()) return std::nullopt;
  return asks_.back().price_ticks;
}

}  // namespace mf
