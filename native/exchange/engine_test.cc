// The exchange rules of shared/reference/taos.md §2.2, §3.3–3.6 through the
// engine's C++ API: orders, time in force, post-only, self-trade
// prevention, market orders, grids, limits, rejections and the scheduler.
#include "exchange/engine.h"

#include "exchange/engine_test_util.h"
#include "testing/test.h"

namespace mf {
namespace {

using namespace mf::testing;

constexpr int64_t kRich = int64_t{1} << 40;

Engine Rich(int agents = 4) { return FundedEngine(agents, kRich, kRich); }

MF_TEST(LimitOrdersTradeAtTheMakerPriceWithBothIdsAndNotices) {
  Engine engine = Rich();
  const Output resting = Apply(engine, Limit(1, Side::kSell, 10'001, 4));
  MF_EXPECT_EQ(resting.events.size(), 1u);
  MF_EXPECT_TRUE(Is(resting.events[0], RecordKind::kOrderPlaced));
  MF_EXPECT_EQ(resting.events[0].order_id, 1u);
  MF_EXPECT_EQ(resting.events[0].quantity_lots, 4);
  MF_EXPECT_TRUE(Is(resting.notices[0], RecordKind::kAccepted));
  MF_EXPECT_EQ(resting.notices[0].recipient_agent_id, 1);

  const Output crossing = Apply(engine, Limit(2, Side::kBuy, 10'005, 6));
  MF_EXPECT_EQ(crossing.events.size(), 2u);
  MF_EXPECT_EQ(crossing.events[0].quantity_lots, 2);  // rests after the fill
  const Record& trade = crossing.events[1];
  MF_EXPECT_TRUE(Is(trade, RecordKind::kTrade));
  MF_EXPECT_EQ(trade.order_id, 2u);
  MF_EXPECT_EQ(trade.agent_id, 2);
  MF_EXPECT_EQ(trade.maker_order_id, 1u);
  MF_EXPECT_EQ(trade.maker_agent_id, 1);
  MF_EXPECT_EQ(trade.price_ticks, 10'001);
  MF_EXPECT_EQ(trade.quantity_lots, 4);
  // Accepted, then one trade notice each for taker and maker.
  MF_EXPECT_EQ(crossing.notices.size(), 3u);
  MF_EXPECT_EQ(crossing.notices[1].recipient_agent_id, 2);
  MF_EXPECT_EQ(crossing.notices[2].recipient_agent_id, 1);
  MF_EXPECT_EQ(*engine.book(0).BestPrice(Side::kBuy), 10'005);
}

MF_TEST(PriceTimePriorityFillsBetterPricesThenOlderOrders) {
  Engine engine = Rich();
  engine.Submit(Limit(1, Side::kBuy, 99, 5));
  engine.Submit(Limit(2, Side::kBuy, 100, 5));
  engine.Submit(Limit(3, Side::kBuy, 100, 5));
  Run(engine);
  const Output output = Apply(engine, Limit(4, Side::kSell, 99, 12));
  std::vector<int32_t> makers;
  for (const Record& event : output.events) {
    if (Is(event, RecordKind::kTrade)) makers.push_back(event.maker_agent_id);
  }
  MF_EXPECT_EQ(makers.size(), 3u);
  MF_EXPECT_EQ(makers[0], 2);
  MF_EXPECT_EQ(makers[1], 3);
  MF_EXPECT_EQ(makers[2], 1);
}

MF_TEST(MarketOrdersSweepAndKillTheRemainder) {
  Engine engine = Rich();
  engine.Submit(Limit(1, Side::kSell, 100, 3));
  engine.Submit(Limit(1, Side::kSell, 102, 3));
  Run(engine);
  const Output output = Apply(engine, Market(2, Side::kBuy, 10));
  MF_EXPECT_EQ(output.events.size(), 4u);  // placed, 2 trades, remainder cancel
  MF_EXPECT_EQ(output.events[0].quantity_lots, 0);
  MF_EXPECT_EQ(output.events[0].price_ticks, 0);
  MF_EXPECT_EQ(output.events[2].price_ticks, 102);
  MF_EXPECT_TRUE(Is(output.events[3], RecordKind::kCancelled));
  MF_EXPECT_EQ(output.events[3].quantity_lots, 4);
  MF_EXPECT_EQ(output.events[3].code, static_cast<uint16_t>(CancelReason::kUnfilledRemainder));
  const Output empty = Apply(engine, Market(2, Side::kBuy, 1));
  MF_EXPECT_EQ(empty.notices[0].code, static_cast<uint16_t>(RejectCode::kEmptyBook));
}

MF_TEST(MarketOrdersSizedInQuoteStopAtTheBudget) {
  Engine engine = Rich();
  engine.Submit(Limit(1, Side::kSell, 100, 10));
  Run(engine);
  Instruction buy = Market(2, Side::kBuy, 0);
  buy.flags = kFlagQuantityInQuote;
  buy.quantity = 3'500'000;  // 0.035 quote = 350 quote units: 3 lots at 1.00
  const Output output = Apply(engine, buy);
  MF_EXPECT_EQ(output.events[1].quantity_lots, 3);
  MF_EXPECT_EQ(engine.book(0).LevelAt(Side::kSell, 0).total_lots, 7);
}

MF_TEST(MaxSlippageBoundsHowFarAMarketOrderWalks) {
  Engine engine = Rich();
  engine.Submit(Limit(1, Side::kSell, 10'000, 2));
  engine.Submit(Limit(1, Side::kSell, 10'040, 2));
  engine.Submit(Limit(1, Side::kSell, 10'200, 2));
  Run(engine);
  Instruction buy = Market(2, Side::kBuy, 6);
  buy.max_slippage_bps = 50;  // 0.5% above 100.00 = 100.50
  const Output output = Apply(engine, buy);
  int64_t filled = 0;
  for (const Record& event : output.events) {
    if (Is(event, RecordKind::kTrade)) filled += event.quantity_lots;
  }
  MF_EXPECT_EQ(filled, 4);
  MF_EXPECT_EQ(*engine.book(0).BestPrice(Side::kSell), 10'200);
}

MF_TEST(ImmediateOrCancelNeverRests) {
  Engine engine = Rich();
  engine.Submit(Limit(1, Side::kSell, 100, 3));
  Instruction ioc = Limit(2, Side::kBuy, 100, 5);
  ioc.time_in_force = static_cast<uint8_t>(TimeInForce::kIoc);
  engine.Submit(ioc);
  const Output output = Run(engine);
  MF_EXPECT_EQ(engine.book(0).RestingOrderCount(), 0u);
  MF_EXPECT_TRUE(Is(output.events.back(), RecordKind::kCancelled));
  MF_EXPECT_EQ(output.events.back().quantity_lots, 2);
}

MF_TEST(FillOrKillFillsInFullOrIsRejected) {
  Engine engine = Rich();
  engine.Submit(Limit(1, Side::kSell, 100, 3));
  Run(engine);
  Instruction fok = Limit(2, Side::kBuy, 100, 5);
  fok.time_in_force = static_cast<uint8_t>(TimeInForce::kFok);
  const Output refused = Apply(engine, fok);
  MF_EXPECT_EQ(refused.events.size(), 0u);
  MF_EXPECT_EQ(refused.notices[0].code, static_cast<uint16_t>(RejectCode::kFillOrKillUnfillable));
  fok.quantity = 3 * kLot;
  const Output filled = Apply(engine, fok);
  MF_EXPECT_EQ(filled.events[1].quantity_lots, 3);
  MF_EXPECT_EQ(engine.book(0).RestingOrderCount(), 0u);
}

MF_TEST(GoodTillTimeExpiresAfterItsLifetime) {
  Engine engine = Rich();
  Instruction gtt = Limit(1, Side::kBuy, 100, 3);
  gtt.time_in_force = static_cast<uint8_t>(TimeInForce::kGtt);
  gtt.expiry_ns = 1'000;
  gtt.delay_ns = 10;
  engine.Submit(gtt);
  engine.Step(500);  // arrives at 10, expires at 1010
  MF_EXPECT_EQ(engine.book(0).RestingOrderCount(), 1u);
  engine.ConsumeEvents(engine.pending_events().size());
  engine.Step(1'010);
  MF_EXPECT_EQ(engine.book(0).RestingOrderCount(), 1u);
  engine.Step(1'011);
  MF_EXPECT_EQ(engine.book(0).RestingOrderCount(), 0u);
  const Record& expired = engine.pending_events().back();
  MF_EXPECT_EQ(expired.code, static_cast<uint16_t>(CancelReason::kExpired));
  MF_EXPECT_EQ(expired.time_ns, 1'010);
  MF_EXPECT_EQ(engine.FindAccount(1, 0)->quote.reserved, 0);
  engine.ConsumeNotices(engine.pending_notices().size());
  gtt.expiry_ns = 0;
  gtt.delay_ns = 0;
  MF_EXPECT_EQ(Apply(engine, gtt).notices[0].code,
               static_cast<uint16_t>(RejectCode::kContractViolation));
}

MF_TEST(PostOnlyIsRejectedWhenItWouldCross) {
  Engine engine = Rich();
  engine.Submit(Limit(1, Side::kSell, 100, 3));
  Run(engine);
  Instruction post = Limit(2, Side::kBuy, 100, 1);
  post.flags = kFlagPostOnly;
  MF_EXPECT_EQ(Apply(engine, post).notices[0].code,
               static_cast<uint16_t>(RejectCode::kPostOnlyWouldCross));
  post.price = 99 * kTick;
  MF_EXPECT_TRUE(Is(Apply(engine, post).notices[0], RecordKind::kAccepted));
  post.time_in_force = static_cast<uint8_t>(TimeInForce::kIoc);
  MF_EXPECT_EQ(Apply(engine, post).notices[0].code,
               static_cast<uint16_t>(RejectCode::kContractViolation));
}

// Agent 1 rests 5 lots at 100 then sends a crossing buy of `taker_lots` with
// `mode`; returns (lots left on the maker, lots resting for the taker,
// lots traded).
struct StpOutcome {
  int64_t maker_left;
  int64_t taker_resting;
  int64_t traded;
};

StpOutcome SelfTrade(SelfTradePrevention mode, int64_t taker_lots) {
  Engine engine = Rich();
  engine.Submit(Limit(1, Side::kSell, 100, 5));
  Run(engine);
  Instruction taker = Limit(1, Side::kBuy, 100, taker_lots);
  taker.stp = static_cast<uint8_t>(mode);
  const Output output = Apply(engine, taker);
  StpOutcome outcome{0, 0, 0};
  for (const Record& event : output.events) {
    if (Is(event, RecordKind::kTrade)) outcome.traded += event.quantity_lots;
  }
  const uint32_t maker = engine.book(0).SlotOf(1);
  outcome.maker_left = maker == OrderBook::kNoSlot ? 0 : engine.book(0).order(maker).remaining_lots;
  const uint32_t resting = engine.book(0).SlotOf(2);
  outcome.taker_resting =
      resting == OrderBook::kNoSlot ? 0 : engine.book(0).order(resting).remaining_lots;
  MF_EXPECT_EQ(engine.CheckInvariants(), "");
  return outcome;
}

MF_TEST(SelfTradePreventionModes) {
  const StpOutcome none = SelfTrade(SelfTradePrevention::kNone, 3);
  MF_EXPECT_EQ(none.traded, 3);
  MF_EXPECT_EQ(none.maker_left, 2);
  const StpOutcome oldest = SelfTrade(SelfTradePrevention::kCancelOldest, 3);
  MF_EXPECT_EQ(oldest.traded, 0);
  MF_EXPECT_EQ(oldest.maker_left, 0);
  MF_EXPECT_EQ(oldest.taker_resting, 3);
  const StpOutcome newest = SelfTrade(SelfTradePrevention::kCancelNewest, 3);
  MF_EXPECT_EQ(newest.maker_left, 5);
  MF_EXPECT_EQ(newest.taker_resting, 0);
  const StpOutcome both = SelfTrade(SelfTradePrevention::kCancelBoth, 3);
  MF_EXPECT_EQ(both.maker_left, 0);
  MF_EXPECT_EQ(both.taker_resting, 0);
  const StpOutcome decrease = SelfTrade(SelfTradePrevention::kDecreaseAndCancel, 8);
  MF_EXPECT_EQ(decrease.maker_left, 0);
  MF_EXPECT_EQ(decrease.taker_resting, 3);
  MF_EXPECT_EQ(decrease.traded, 0);
}

MF_TEST(ClientOrderIdsTravelWithNoticesAndDepth) {
  Engine engine = Rich();
  Instruction maker = Limit(1, Side::kSell, 100, 5);
  maker.client_order_id = 77;
  Instruction taker = Limit(2, Side::kBuy, 100, 2);
  taker.client_order_id = 88;
  engine.Submit(maker);
  engine.Submit(taker);
  const Output output = Run(engine);
  MF_EXPECT_EQ(output.notices[0].client_order_id, 77u);
  MF_EXPECT_EQ(output.events.back().client_order_id, 88u);  // L3 trade: taker's id
  MF_EXPECT_EQ(output.notices.back().recipient_agent_id, 1);
  MF_EXPECT_EQ(output.notices.back().client_order_id, 77u);  // maker's own notice
}

MF_TEST(CancelWholeOrPartAndRefusals) {
  Engine engine = Rich();
  Apply(engine, Limit(1, Side::kSell, 50, 10));
  const Output partial = Apply(engine, CancelOrder(1, 1, 4));
  MF_EXPECT_EQ(partial.events[0].quantity_lots, 4);
  MF_EXPECT_EQ(engine.book(0).order(engine.book(0).SlotOf(1)).remaining_lots, 6);
  MF_EXPECT_EQ(Apply(engine, CancelOrder(2, 1)).notices[0].code,
               static_cast<uint16_t>(RejectCode::kNotOrderOwner));
  MF_EXPECT_EQ(Apply(engine, CancelOrder(1, 99)).notices[0].code,
               static_cast<uint16_t>(RejectCode::kUnknownOrder));
  const Output whole = Apply(engine, CancelOrder(1, 1));
  MF_EXPECT_EQ(whole.events[0].quantity_lots, 6);
  MF_EXPECT_EQ(engine.book(0).RestingOrderCount(), 0u);
  MF_EXPECT_EQ(engine.FindAccount(1, 0)->base.reserved, 0);
  MF_EXPECT_EQ(engine.FindAccount(1, 0)->open_orders, 0u);
}

MF_TEST(GridsSizesAndLimitsRejectWithTaosCodes) {
  BookConfig config = TestConfig();
  config.min_order_lots = 5;
  config.max_open_orders = 2;
  Engine engine = FundedEngine(2, kRich, kRich, 1, config);
  const auto code = [&](Instruction in) { return Apply(engine, in).notices[0].code; };
  Instruction off_price = Limit(1, Side::kBuy, 100, 5);
  off_price.price += 1;
  MF_EXPECT_EQ(code(off_price), static_cast<uint16_t>(RejectCode::kPriceIncrementViolated));
  Instruction off_volume = Limit(1, Side::kBuy, 100, 5);
  off_volume.quantity += 10;
  MF_EXPECT_EQ(code(off_volume), static_cast<uint16_t>(RejectCode::kVolumeIncrementViolated));
  MF_EXPECT_EQ(code(Limit(1, Side::kBuy, 100, 4)),
               static_cast<uint16_t>(RejectCode::kMinimumOrderSizeViolation));
  MF_EXPECT_EQ(code(Limit(1, Side::kBuy, 0, 5)), static_cast<uint16_t>(RejectCode::kInvalidPrice));
  MF_EXPECT_EQ(code(Limit(1, Side::kBuy, 100, 0)), static_cast<uint16_t>(RejectCode::kInvalidVolume));
  MF_EXPECT_EQ(code(Limit(9, Side::kBuy, 100, 5)),
               static_cast<uint16_t>(RejectCode::kNonexistentAccount));
  Instruction unknown_book = Limit(1, Side::kBuy, 100, 5);
  unknown_book.book_id = 3;
  MF_EXPECT_EQ(code(unknown_book), static_cast<uint16_t>(RejectCode::kUnknownBook));
  Instruction bad_kind = Limit(1, Side::kBuy, 100, 5);
  bad_kind.kind = 99;
  MF_EXPECT_EQ(code(bad_kind), static_cast<uint16_t>(RejectCode::kInvalidInstruction));
  Instruction bad_side = Limit(1, Side::kBuy, 100, 5);
  bad_side.side = 2;
  MF_EXPECT_EQ(code(bad_side), static_cast<uint16_t>(RejectCode::kInvalidSide));
  Instruction bad_delay = Limit(1, Side::kBuy, 100, 5);
  bad_delay.delay_ns = -1;
  MF_EXPECT_EQ(code(bad_delay), static_cast<uint16_t>(RejectCode::kInvalidDelay));
  MF_EXPECT_EQ(code(Limit(1, Side::kBuy, 100, 5)), static_cast<uint16_t>(RejectCode::kNone));
  MF_EXPECT_EQ(code(Limit(1, Side::kBuy, 100, 5)), static_cast<uint16_t>(RejectCode::kNone));
  MF_EXPECT_EQ(code(Limit(1, Side::kBuy, 100, 5)),
               static_cast<uint16_t>(RejectCode::kExceedingMaxOrders));
  for (uint16_t reject = 1; reject < kRejectCodeCount; ++reject) {
    MF_EXPECT_TRUE(std::string(RejectMessage(reject)).size() > 10);
  }
  MF_EXPECT_EQ(std::string(RejectMessage(9999)), "unknown reject code");
}

MF_TEST(BalancesAreReservedOnEntryReleasedOnCancelSettledOnFill) {
  Engine engine = FundedEngine(2, 1'000, 1'000'000);
  Apply(engine, Limit(1, Side::kBuy, 100, 50));  // 5'000 quote units
  const Account& buyer = *engine.FindAccount(1, 0);
  MF_EXPECT_EQ(buyer.quote.reserved, 5'000);
  MF_EXPECT_EQ(buyer.quote.free, 995'000);
  Apply(engine, Limit(2, Side::kSell, 100, 20));
  MF_EXPECT_EQ(buyer.quote.reserved, 3'000);
  MF_EXPECT_EQ(buyer.quote.free, 995'000);
  MF_EXPECT_EQ(buyer.base.free, 1'020);
  const Account& seller = *engine.FindAccount(2, 0);
  MF_EXPECT_EQ(seller.base.free, 980);
  MF_EXPECT_EQ(seller.quote.free, 1'002'000);
  Apply(engine, CancelOrder(1, 1));
  MF_EXPECT_EQ(buyer.quote.reserved, 0);
  MF_EXPECT_EQ(buyer.quote.total(), 998'000);
  MF_EXPECT_EQ(Apply(engine, Limit(2, Side::kSell, 100, 981)).notices[0].code,
               static_cast<uint16_t>(RejectCode::kInsufficientBase));
  MF_EXPECT_EQ(Apply(engine, Limit(1, Side::kBuy, 100, 9'981)).notices[0].code,
               static_cast<uint16_t>(RejectCode::kInsufficientQuote));
  MF_EXPECT_EQ(engine.CheckInvariants(), "");
}

MF_TEST(MessagesArriveAfterTheirDelayInArrivalThenSubmissionOrder) {
  Engine engine = Rich();
  Instruction late = Limit(1, Side::kSell, 100, 1);
  late.delay_ns = 300;
  Instruction early = Limit(2, Side::kSell, 101, 1);
  early.delay_ns = 100;
  Instruction tie = Limit(3, Side::kSell, 102, 1);
  tie.delay_ns = 100;
  engine.Submit(late);
  engine.Submit(early);
  engine.Submit(tie);
  engine.Step(100);  // arrival < until: nothing yet
  MF_EXPECT_EQ(engine.pending_events().size(), 0u);
  engine.Step(101);
  MF_EXPECT_EQ(engine.pending_events().size(), 2u);
  MF_EXPECT_EQ(engine.pending_events()[0].agent_id, 2);
  MF_EXPECT_EQ(engine.pending_events()[1].agent_id, 3);
  MF_EXPECT_EQ(engine.pending_events()[1].time_ns, 100);
  engine.Step(1'000);
  MF_EXPECT_EQ(engine.pending_events()[2].agent_id, 1);
  MF_EXPECT_EQ(engine.pending_events()[2].time_ns, 300);
  MF_EXPECT_EQ(engine.now_ns(), 1'000);
}

MF_TEST(BooksAreIndependent) {
  Engine engine = FundedEngine(2, kRich, kRich, 3);
  Instruction second = Limit(1, Side::kBuy, 100, 1);
  second.book_id = 1;
  Apply(engine, second);
  MF_EXPECT_EQ(engine.book(0).RestingOrderCount(), 0u);
  MF_EXPECT_EQ(engine.book(1).RestingOrderCount(), 1u);
  MF_EXPECT_EQ(engine.FindAccount(1, 1)->open_orders, 1u);
  MF_EXPECT_EQ(engine.FindAccount(1, 0)->open_orders, 0u);
}

}  // namespace
}  // namespace mf
