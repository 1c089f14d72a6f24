#include "book/order_book.h"

#include <random>
#include <vector>

#include "book/internal/order_id_table.h"
#include "testing/test.h"

namespace mf {
namespace {

struct Fill {
  uint64_t maker_id;
  int64_t price_ticks;
  int64_t lots;
};

// Fills every maker it meets, as far as the taker reaches.
int64_t FillAll(OrderBook& book, Side side, int64_t limit, int64_t lots, std::vector<Fill>& fills) {
  return book.Match(side, limit, lots,
                    [&](const OrderBook::Order& maker, uint32_t, int64_t remaining) {
                      const int64_t fill = std::min<int64_t>(maker.remaining_lots, remaining);
                      fills.push_back({maker.id, maker.price_ticks, fill});
                      return MatchDecision{.fill_lots = fill};
                    });
}

MF_TEST(RestingOrdersSetTheTouchOnEachSide) {
  OrderBook book;
  book.Rest(1, 1, Side::kBuy, 100, 5);
  book.Rest(2, 1, Side::kBuy, 101, 5);
  book.Rest(3, 2, Side::kSell, 105, 5);
  book.Rest(4, 2, Side::kSell, 107, 5);
  MF_EXPECT_EQ(*book.BestPrice(Side::kBuy), 101);
  MF_EXPECT_EQ(*book.BestPrice(Side::kSell), 105);
  MF_EXPECT_EQ(book.LevelAt(Side::kBuy, 1).price_ticks, 100);
  MF_EXPECT_EQ(book.LevelAt(Side::kSell, 1).price_ticks, 107);
  MF_EXPECT_TRUE(book.WouldCross(Side::kBuy, 105));
  MF_EXPECT_TRUE(!book.WouldCross(Side::kBuy, 104));
}

MF_TEST(MatchingTakesBetterPricesFirstThenOlderOrders) {
  OrderBook book;
  book.Rest(1, 1, Side::kBuy, 99, 5);
  book.Rest(2, 2, Side::kBuy, 100, 5);
  book.Rest(3, 3, Side::kBuy, 100, 5);
  std::vector<Fill> fills;
  const int64_t left = FillAll(book, Side::kSell, 99, 12, fills);
  MF_EXPECT_EQ(left, 0);
  MF_EXPECT_EQ(fills.size(), 3u);
  MF_EXPECT_EQ(fills[0].maker_id, 2u);
  MF_EXPECT_EQ(fills[1].maker_id, 3u);
  MF_EXPECT_EQ(fills[2].maker_id, 1u);
  MF_EXPECT_EQ(fills[2].lots, 2);
  MF_EXPECT_EQ(book.LevelAt(Side::kBuy, 0).total_lots, 3);
}

MF_TEST(MatchingStopsAtTheLimitPrice) {
  OrderBook book;
  book.Rest(1, 1, Side::kSell, 101, 5);
  book.Rest(2, 1, Side::kSell, 103, 5);
  std::vector<Fill> fills;
  MF_EXPECT_EQ(FillAll(book, Side::kBuy, 102, 8, fills), 3);
  MF_EXPECT_EQ(fills.size(), 1u);
  MF_EXPECT_EQ(*book.BestPrice(Side::kSell), 103);
}

MF_TEST(ReduceCancelsPartlyOrWholeAnywhereInTheBook) {
  OrderBook book;
  book.Rest(1, 1, Side::kSell, 50, 10);
  book.Rest(2, 1, Side::kSell, 60, 10);
  book.Reduce(book.SlotOf(2), 4);
  MF_EXPECT_EQ(book.LevelAt(Side::kSell, 1).total_lots, 6);
  book.Reduce(book.SlotOf(2), 6);
  MF_EXPECT_EQ(book.LevelCount(Side::kSell), 1u);
  MF_EXPECT_EQ(book.SlotOf(2), OrderBook::kNoSlot);
  MF_EXPECT_EQ(book.RestingOrderCount(), 1u);
}

MF_TEST(ClearEmptiesTheBookForReuse) {
  OrderBook book;
  book.Rest(1, 1, Side::kSell, 50, 10);
  book.Rest(2, 1, Side::kBuy, 40, 10);
  book.Clear();
  MF_EXPECT_EQ(book.RestingOrderCount(), 0u);
  MF_EXPECT_TRUE(!book.BestPrice(Side::kSell).has_value());
  MF_EXPECT_EQ(book.SlotOf(1), OrderBook::kNoSlot);
  book.Rest(1, 2, Side::kSell, 55, 3);
  MF_EXPECT_EQ(book.LevelAt(Side::kSell, 0).total_lots, 3);
}

MF_TEST(CrossingLotsSkipsTheExcludedAgent) {
  OrderBook book;
  book.Rest(1, 7, Side::kSell, 10, 4);
  book.Rest(2, 8, Side::kSell, 10, 3);
  book.Rest(3, 8, Side::kSell, 12, 9);
  MF_EXPECT_EQ(book.CrossingLots(Side::kBuy, 11, 100, std::nullopt, false), 7);
  MF_EXPECT_EQ(book.CrossingLots(Side::kBuy, 12, 100, 7, false), 12);
  MF_EXPECT_EQ(book.CrossingLots(Side::kBuy, 12, 100, 7, true), 0);
  MF_EXPECT_EQ(book.CrossingLots(Side::kBuy, 12, 100, 8, true), 4);
  MF_EXPECT_EQ(book.CrossingLots(Side::kBuy, 12, 5, std::nullopt, false), 5);
}

MF_TEST(OrderIdTableSurvivesRandomInsertsAndErases) {
  internal::OrderIdTable table;
  std::vector<uint32_t> expected(20'000, internal::OrderIdTable::kNotFound);
  std::mt19937 random(5);
  for (int i = 0; i < 200'000; ++i) {
    const uint64_t id = 1 + random() % expected.size();
    if (random() % 3 == 0) {
      table.Erase(id);
      expected[id - 1] = internal::OrderIdTable::kNotFound;
    } else {
      table.Insert(id, static_cast<uint32_t>(i));
      expected[id - 1] = static_cast<uint32_t>(i);
    }
  }
  size_t present = 0;
  bool all_match = true;
  for (size_t i = 0; i < expected.size(); ++i) {
    all_match = all_match && table.Find(i + 1) == expected[i];
    present += expected[i] != internal::OrderIdTable::kNotFound;
  }
  MF_EXPECT_TRUE(all_match);
  MF_EXPECT_EQ(table.size(), present);
}

}  // namespace
}  // namespace mf
