// book.native_mixed_ops: the perf.md §6 mix on one book through the C++ API —
// 60% adds resting near the touch, 30% cancels of a uniformly random earlier
// order (about half of them already gone), 10% crossing orders — from a
// fixed seed so every run does the same work. Each fill is written as an
// 80-byte trade Record, as the exchange does. The book ends each run with
// about 700 000 resting orders, so the figure is bound by memory latency.
// Runs reuse one book (cleared between them): a long simulation touches its
// memory once, so first-touch page faults are not part of the steady state.
#include <vector>

#include "book/order_book.h"
#include "exchange/records.h"
#include "testing/benchmark.h"
#include "testing/mixed_workload.h"

namespace mf {
namespace {

constexpr int kOperations = 2'000'000;

MF_BENCHMARK(BookNativeMixedOps) {
  const std::vector<testing::MixedOperation> operations = testing::MixedWorkload(7, kOperations);
  std::vector<Record> trades(1 << 16);
  OrderBook book;
  const double rate = testing::MedianRate([&] {
    book.Clear();
    uint64_t next_id = 1;
    size_t trade_count = 0;
    for (const testing::MixedOperation& operation : operations) {
      if (operation.cancel) {
        const uint32_t slot = book.SlotOf(operation.order_id);
        if (slot != OrderBook::kNoSlot) book.Reduce(slot, book.order(slot).remaining_lots);
        continue;
      }
      const uint64_t id = next_id++;
      const int64_t left = book.Match(
          operation.side, operation.price_ticks, operation.quantity_lots,
          [&](const OrderBook::Order& maker, uint32_t, int64_t remaining) {
            const int64_t fill = std::min<int64_t>(maker.remaining_lots, remaining);
            Record& trade = trades[trade_count++ & (trades.size() - 1)];
            trade.kind = static_cast<uint8_t>(RecordKind::kTrade);
            trade.order_id = id;
            trade.maker_order_id = maker.id;
            trade.price_ticks = maker.price_ticks;
            trade.quantity_lots = fill;
            return MatchDecision{.fill_lots = fill};
          });
      if (left > 0) {
        book.Rest(id, operation.agent_id, operation.side, operation.price_ticks, left);
      }
    }
    return static_cast<double>(operations.size());
  });
  testing::Report("book.native_mixed_ops", rate, "ops/s");
}

}  // namespace
}  // namespace mf
