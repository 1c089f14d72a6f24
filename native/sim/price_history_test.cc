#include "sim/price_history.h"

#include <cmath>
#include <vector>

#include "testing/test.h"

namespace mf::sim {
namespace {

bool Near(double a, double b) { return std::fabs(a - b) < 1e-12; }

MF_TEST(EmptyHistoryHasNoReturn) {
  PriceHistory history(8);
  MF_EXPECT_EQ(history.MeanReturn(5), 0.0);
  history.Add(100);
  MF_EXPECT_EQ(history.returns(), uint64_t{0});
  MF_EXPECT_EQ(history.MeanReturn(5), 0.0);
  MF_EXPECT_EQ(history.last_price(), 100.0);
}

MF_TEST(MeanReturnOverAKnownSeries) {
  PriceHistory history(8);
  const std::vector<double> prices = {100, 101, 99, 102, 102, 105};
  for (double price : prices) history.Add(price);
  MF_EXPECT_EQ(history.returns(), uint64_t{5});
  MF_EXPECT_TRUE(Near(history.MeanReturn(1), std::log(105.0 / 102.0)));
  MF_EXPECT_TRUE(Near(history.MeanReturn(3), std::log(105.0 / 99.0) / 3));
  MF_EXPECT_TRUE(Near(history.MeanReturn(5), std::log(105.0 / 100.0) / 5));
  // Longer than the history: the whole history.
  MF_EXPECT_TRUE(Near(history.MeanReturn(50), std::log(105.0 / 100.0) / 5));
  MF_EXPECT_EQ(history.MeanReturn(0), 0.0);
}

MF_TEST(RingWrapsAroundKeepingTheLastCapacityReturns) {
  PriceHistory history(4);
  std::vector<double> prices;
  for (int i = 0; i < 11; ++i) prices.push_back(100.0 * std::exp(0.01 * i * i));
  for (double price : prices) history.Add(price);
  MF_EXPECT_EQ(history.returns(), uint64_t{10});
  MF_EXPECT_TRUE(Near(history.MeanReturn(4), std::log(prices[10] / prices[6]) / 4));
  MF_EXPECT_TRUE(Near(history.MeanReturn(2), std::log(prices[10] / prices[8]) / 2));
  // Capped at the capacity.
  MF_EXPECT_TRUE(Near(history.MeanReturn(9), std::log(prices[10] / prices[6]) / 4));
}

MF_TEST(HistorySaveLoadContinuesIdentically) {
  for (const int added : {0, 1, 3, 20}) {
    PriceHistory original(6);
    for (int i = 0; i < added; ++i) original.Add(50 + (i * 7) % 5);
    ByteWriter writer;
    original.Save(writer);
    PriceHistory restored(6);
    restored.Add(999);  // overwritten by Load
    ByteReader reader(writer.bytes().data(), writer.bytes().size());
    MF_EXPECT_TRUE(restored.Load(reader));
    MF_EXPECT_EQ(reader.remaining(), size_t{0});
    for (int i = 0; i < 9; ++i) {
      original.Add(48 + i);
      restored.Add(48 + i);
      for (uint32_t h = 1; h <= 7; ++h) {
        MF_EXPECT_EQ(restored.MeanReturn(h), original.MeanReturn(h));
      }
    }
    MF_EXPECT_EQ(restored.returns(), original.returns());
    ByteWriter again;
    ByteWriter expected;
    restored.Save(again);
    original.Save(expected);
    MF_EXPECT_TRUE(again.bytes() == expected.bytes());
  }
}

MF_TEST(HistoryLoadRefusesAnotherCapacityOrTruncatedBytes) {
  PriceHistory original(6);
  for (int i = 0; i < 10; ++i) original.Add(100 + i);
  ByteWriter writer;
  original.Save(writer);
  PriceHistory other_capacity(7);
  ByteReader reader(writer.bytes().data(), writer.bytes().size());
  MF_EXPECT_TRUE(!other_capacity.Load(reader));
  PriceHistory truncated(6);
  ByteReader short_reader(writer.bytes().data(), writer.bytes().size() - 1);
  MF_EXPECT_TRUE(!truncated.Load(short_reader));
}

}  // namespace
}  // namespace mf::sim
