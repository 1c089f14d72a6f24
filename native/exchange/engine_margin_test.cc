// Leverage, loans, collateral, margin calls and close-positions
// (shared/reference/taos.md §2.2 margin; the model is in engine.h).
#include "exchange/engine.h"

#include "exchange/engine_test_util.h"
#include "testing/test.h"

namespace mf {
namespace {

using namespace mf::testing;

constexpr int64_t kQuote = 1'000'000;

// Agent 1 goes long 100 lots at 100 with 1× leverage (half borrowed) from
// agent 2; agent 3 is a bystander with a bid at `bid_ticks`.
Engine LongPosition(int64_t bid_ticks) {
  Engine engine = FundedEngine(3, 1'000, kQuote);
  Instruction buy = Limit(1, Side::kBuy, 100, 100);
  buy.leverage = 100;
  engine.Submit(buy);
  engine.Submit(Limit(2, Side::kSell, 100, 100));
  engine.Submit(Limit(3, Side::kBuy, bid_ticks, 100));
  Run(engine);
  return engine;
}

MF_TEST(ALeveragedBuyBorrowsQuoteAndLocksTheBaseAsCollateral) {
  Engine engine = LongPosition(90);
  const Account& account = *engine.FindAccount(1, 0);
  MF_EXPECT_EQ(account.quote_loan, 5'000);
  MF_EXPECT_EQ(account.base_collateral, 100);
  MF_EXPECT_EQ(account.quote.free, kQuote - 5'000);
  MF_EXPECT_EQ(account.base.free, 1'000);
  MF_EXPECT_EQ(account.open_loans, 1u);
  MF_EXPECT_EQ(engine.CheckInvariants(), "");
}

MF_TEST(ClosingAPositionSellsTheCollateralAndRepaysTheLoan) {
  Engine engine = LongPosition(90);
  Instruction close = CancelOrder(1, 1);
  close.kind = static_cast<uint8_t>(InstructionKind::kClosePosition);
  const Output output = Apply(engine, close);
  const Account& account = *engine.FindAccount(1, 0);
  MF_EXPECT_EQ(account.quote_loan, 0);
  MF_EXPECT_EQ(account.base_collateral, 0);
  MF_EXPECT_EQ(account.open_loans, 0u);
  // Sold 100 at 90 = 9'000, repaid 5'000.
  MF_EXPECT_EQ(account.quote.free, kQuote - 5'000 + 9'000 - 5'000);
  MF_EXPECT_TRUE(Is(output.notices.back(), RecordKind::kPositionClosed));
  MF_EXPECT_EQ(output.notices.back().code, static_cast<uint16_t>(CancelReason::kRequested));
  MF_EXPECT_EQ(Apply(engine, close).notices[0].code,
               static_cast<uint16_t>(RejectCode::kNoPosition));
  MF_EXPECT_EQ(engine.CheckInvariants(), "");
}

MF_TEST(ALongIsLiquidatedWhenTheBidCrossesItsMarginCallPrice) {
  // Margin call when bid · 100 · 0.9 ≤ 5'000, i.e. bid ≤ 55.
  Engine safe = LongPosition(56);
  Run(safe);
  MF_EXPECT_EQ(safe.FindAccount(1, 0)->open_loans, 1u);
  Engine called = LongPosition(55);
  const Output output = Run(called);
  const Account& account = *called.FindAccount(1, 0);
  MF_EXPECT_EQ(account.open_loans, 0u);
  MF_EXPECT_EQ(account.quote.free, kQuote - 5'000 + 5'500 - 5'000);
  MF_EXPECT_EQ(output.notices.back().code, static_cast<uint16_t>(CancelReason::kLiquidation));
  MF_EXPECT_EQ(called.CheckInvariants(), "");
}

MF_TEST(AShortBorrowsBaseAndIsLiquidatedWhenTheAskRises) {
  Engine engine = FundedEngine(3, 1'000, kQuote);
  Instruction sell = Limit(1, Side::kSell, 100, 100);
  sell.leverage = 100;
  engine.Submit(sell);
  engine.Submit(Limit(2, Side::kBuy, 100, 100));
  Run(engine);
  const Account& account = *engine.FindAccount(1, 0);
  MF_EXPECT_EQ(account.base_loan, 50);
  MF_EXPECT_EQ(account.base.total(), 950);
  MF_EXPECT_EQ(account.quote_collateral, 10'000);
  // Margin call when ask · 50 · 1.1 ≥ 10'000, i.e. ask ≥ 182.
  Apply(engine, Limit(3, Side::kSell, 182, 100));
  Run(engine);
  MF_EXPECT_EQ(account.base_loan, 0);
  MF_EXPECT_EQ(account.quote_collateral, 0);
  MF_EXPECT_EQ(account.base.total(), 950);  // bought back 50 and repaid them
  MF_EXPECT_EQ(account.quote.total(), kQuote + 10'000 - 50 * 182);
  MF_EXPECT_EQ(engine.CheckInvariants(), "");
}

MF_TEST(LeverageLimitsDualPositionsAndLoanCap) {
  BookConfig config = TestConfig();
  config.max_loan = 6'000;
  Engine engine = LongPosition(90);
  Instruction too_much = Limit(1, Side::kBuy, 100, 1);
  too_much.leverage = 500;
  MF_EXPECT_EQ(Apply(engine, too_much).notices[0].code,
               static_cast<uint16_t>(RejectCode::kInvalidLeverage));
  Instruction short_sell = Limit(1, Side::kSell, 200, 1);
  short_sell.leverage = 100;
  MF_EXPECT_EQ(Apply(engine, short_sell).notices[0].code,
               static_cast<uint16_t>(RejectCode::kDualPosition));
  Engine capped = FundedEngine(1, 1'000, kQuote, 1, config);
  Instruction big = Limit(1, Side::kBuy, 100, 200);  // borrows 10'000
  big.leverage = 100;
  MF_EXPECT_EQ(Apply(capped, big).notices[0].code,
               static_cast<uint16_t>(RejectCode::kExceedingLoan));
}

}  // namespace
}  // namespace mf
