#include "book/order_book.h"

#include "testing/test.h"

namespace mf {
namespace {

Command Limit(int32_t agent, Side side, int64_t price, int64_t quantity) {
  return Command{.kind = CommandKind::kLimit,
                 .side = side,
                 .reserved = 0,
                 .agent_id = agent,
                 .order_id = 0,
                 .price_ticks = price,
                 .quantity_lots = quantity};
}

Command CancelOf(int32_t agent, uint64_t order_id, int64_t quantity = 0) {
  return Command{.kind = CommandKind::kCancel,
                 .side = Side::kBuy,
                 .reserved = 0,
                 .agent_id = agent,
                 .order_id = order_id,
                 .price_ticks = 0,
                 .quantity_lots = quantity};
}

MF_TEST(RestingOrdersSetTheTouch) {
  OrderBook book;
  std::vector<Event> events;
  book.Apply(Limit(1, Side::kBuy, 100, 5), events);
  book.Apply(Limit(1, Side::kBuy, 101, 5), events);
  book.Apply(Limit(2, Side::kSell, 105, 5), events);
  MF_EXPECT_EQ(*book.BestBid(), 101);
  MF_EXPECT_EQ(*book.BestAsk(), 105);
  MF_EXPECT_EQ(events.size(), 3u);
  MF_EXPECT_TRUE(events[0].kind == EventKind::kOrderPlaced);
  MF_EXPECT_EQ(events[0].order_id, 1u);
  MF_EXPECT_EQ(events[2].quantity_lots, 5);
}

MF_TEST(MatchesBestPriceThenTimePriority) {
  OrderBook book;
  std::vector<Event> events;
  book.Apply(Limit(1, Side::kSell, 102, 3), events);  // id 1
  book.Apply(Limit(2, Side::kSell, 101, 2), events);  // id 2, better price
  book.Apply(Limit(3, Side::kSell, 101, 4), events);  // id 3, same price, later
  events.clear();
  book.Apply(Limit(9, Side::kBuy, 102, 7), events);  // id 4
  MF_EXPECT_EQ(events.size(), 4u);
  MF_EXPECT_EQ(events[0].quantity_lots, 0);  // placed, nothing left to rest
  MF_EXPECT_EQ(events[1].maker_order_id, 2u);
  MF_EXPECT_EQ(events[1].price_ticks, 101);
  MF_EXPECT_EQ(events[1].quantity_lots, 2);
  MF_EXPECT_EQ(events[2].maker_order_id, 3u);
  MF_EXPECT_EQ(events[2].quantity_lots, 4);
  MF_EXPECT_EQ(events[3].maker_order_id, 1u);
  MF_EXPECT_EQ(events[3].price_ticks, 102);
  MF_EXPECT_EQ(events[3].quantity_lots, 1);
  MF_EXPECT_EQ(events[3].maker_agent_id, 1);
  MF_EXPECT_EQ(events[3].agent_id, 9);
  MF_EXPECT_EQ(*book.BestAsk(), 102);
  DepthLevel asks[4];
  MF_EXPECT_EQ(book.Depth(Side::kSell, asks), 1u);
  MF_EXPECT_EQ(asks[0].quantity_lots, 2);
}

MF_TEST(UnfilledRemainderRestsAtItsLimit) {
  OrderBook book;
  std::vector<Event> events;
  book.Apply(Limit(1, Side::kSell, 100, 2), events);
  events.clear();
  book.Apply(Limit(2, Side::kBuy, 101, 5), events);
  MF_EXPECT_EQ(events[0].quantity_lots, 3);
  MF_EXPECT_EQ(*book.BestBid(), 101);
  MF_EXPECT_TRUE(!book.BestAsk().has_value());
}

MF_TEST(NonCrossingOrderDoesNotTrade) {
  OrderBook book;
  std::vector<Event> events;
  book.Apply(Limit(1, Side::kSell, 105, 2), events);
  book.Apply(Limit(2, Side::kBuy, 104, 2), events);
  MF_EXPECT_EQ(events.size(), 2u);
  MF_EXPECT_EQ(book.RestingOrderCount(), 2u);
}

MF_TEST(CancelRemovesWholeOrPart) {
  OrderBook book;
  std::vector<Event> events;
  book.Apply(Limit(1, Side::kBuy, 100, 10), events);  // id 1
  book.Apply(Limit(1, Side::kBuy, 100, 4), events);   // id 2
  events.clear();
  book.Apply(CancelOf(1, 1, 3), events);
  MF_EXPECT_TRUE(events[0].kind == EventKind::kCancelled);
  MF_EXPECT_EQ(events[0].quantity_lots, 3);
  DepthLevel bids[2];
  book.Depth(Side::kBuy, bids);
  MF_EXPECT_EQ(bids[0].quantity_lots, 11);
  book.Apply(CancelOf(1, 1), events);
  MF_EXPECT_EQ(events[1].quantity_lots, 7);
  book.Apply(CancelOf(1, 2), events);
  MF_EXPECT_EQ(book.RestingOrderCount(), 0u);
  MF_EXPECT_TRUE(!book.BestBid().has_value());
}

MF_TEST(CancelKeepsTimePriorityOfTheOthers) {
  OrderBook book;
  std::vector<Event> events;
  book.Apply(Limit(1, Side::kSell, 100, 1), events);  // id 1
  book.Apply(Limit(2, Side::kSell, 100, 1), events);  // id 2
  book.Apply(Limit(3, Side::kSell, 100, 1), events);  // id 3
  book.Apply(CancelOf(2, 2), events);
  events.clear();
  book.Apply(Limit(4, Side::kBuy, 100, 2), events);
  MF_EXPECT_EQ(events[1].maker_order_id, 1u);
  MF_EXPECT_EQ(events[2].maker_order_id, 3u);
}

MF_TEST(RejectsBadInputWithoutTouchingTheBook) {
  OrderBook book;
  std::vector<Event> events;
  book.Apply(Limit(1, Side::kBuy, 100, 1), events);
  events.clear();
  book.Apply(Limit(1, Side::kBuy, 0, 1), events);
  book.Apply(Limit(1, Side::kBuy, 100, 0), events);
  book.Apply(Limit(1, static_cast<Side>(7), 100, 1), events);
  book.Apply(CancelOf(1, 99), events);
  book.Apply(CancelOf(2, 1), events);
  Command unknown = Limit(1, Side::kBuy, 100, 1);
  unknown.kind = static_cast<CommandKind>(42);
  book.Apply(unknown, events);
  MF_EXPECT_EQ(events.size(), 6u);
  MF_EXPECT_TRUE(events[0].code == RejectCode::kInvalidPrice);
  MF_EXPECT_TRUE(events[1].code == RejectCode::kInvalidVolume);
  MF_EXPECT_TRUE(events[2].code == RejectCode::kInvalidSide);
  MF_EXPECT_TRUE(events[3].code == RejectCode::kUnknownOrder);
  MF_EXPECT_TRUE(events[4].code == RejectCode::kNotOrderOwner);
  MF_EXPECT_TRUE(events[5].code == RejectCode::kInvalidCommand);
  MF_EXPECT_EQ(book.RestingOrderCount(), 1u);
}

}  // namespace
}  // namespace mf
