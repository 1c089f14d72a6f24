// ResetAccount (τaos §2.6 deregistration): the account starts over while
// every other account and the conservation ledger stay intact.
#include "exchange/engine.h"

#include "exchange/engine_test_util.h"
#include "testing/test.h"

namespace mf {
namespace {

using namespace mf::testing;

MF_TEST(ResetCancelsOrdersClosesLoansAndDepositsAFreshAccount) {
  Engine engine = FundedEngine(3, 1'000, 1'000'000);
  Instruction buy = Limit(1, Side::kBuy, 100, 100);
  buy.leverage = 100;
  engine.Submit(buy);
  engine.Submit(Limit(2, Side::kSell, 100, 100));
  engine.Submit(Limit(3, Side::kBuy, 90, 200));   // liquidity for the unwind
  engine.Submit(Limit(1, Side::kBuy, 80, 10));    // resting, to be cancelled
  engine.Submit(Limit(1, Side::kSell, 120, 10));  // resting, to be cancelled
  Run(engine);
  MF_EXPECT_EQ(engine.FindAccount(1, 0)->open_loans, 1u);
  MF_EXPECT_EQ(engine.FindAccount(1, 0)->open_orders, 2u);

  MF_EXPECT_EQ(engine.ResetAccount(1, 0, 7, 700), std::string());
  const Account& account = *engine.FindAccount(1, 0);
  MF_EXPECT_EQ(account.base.free, 7);
  MF_EXPECT_EQ(account.quote.free, 700);
  MF_EXPECT_EQ(account.base.reserved + account.quote.reserved, 0);
  MF_EXPECT_EQ(account.open_orders + account.open_loans, 0u);
  MF_EXPECT_EQ(account.traded_volume() + account.fees_paid, 0);
  MF_EXPECT_EQ(engine.book(0).BestPrice(Side::kSell).has_value(), false);
  MF_EXPECT_EQ(engine.CheckInvariants(), "");
}

MF_TEST(ResetOpensTheAccountWhenItDoesNotExist) {
  Engine engine = FundedEngine(1, 10, 10);
  MF_EXPECT_EQ(engine.ResetAccount(9, 0, 5, 50), std::string());
  MF_EXPECT_EQ(engine.FindAccount(9, 0)->quote.free, 50);
  MF_EXPECT_TRUE(!engine.ResetAccount(9, 3, 5, 50).empty());
}

MF_TEST(BackgroundNoticesCanBeTurnedOff) {
  Engine engine = FundedEngine(0, 0, 0);
  engine.Deposit(-1, 0, 100, 100'000);
  engine.Deposit(1, 0, 100, 100'000);
  engine.set_background_notices(false);
  engine.Submit(Limit(-1, Side::kSell, 100, 10));
  engine.Submit(Limit(1, Side::kBuy, 100, 10));
  const Output output = Run(engine);
  MF_EXPECT_TRUE(!output.notices.empty());
  for (const Record& notice : output.notices) MF_EXPECT_EQ(notice.recipient_agent_id, 1);
  MF_EXPECT_EQ(engine.delivered_messages(), uint64_t{2});
}

}  // namespace
}  // namespace mf
