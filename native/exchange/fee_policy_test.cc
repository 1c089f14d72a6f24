#include "exchange/fee_policy.h"

#include "exchange/engine_test_util.h"
#include "testing/test.h"

namespace mf {
namespace {

using namespace mf::testing;

BookConfig DynamicConfig() {
  BookConfig config = TestConfig();
  config.fee_policy = static_cast<uint8_t>(FeePolicyKind::kDynamic);
  config.maker_rate = 0;
  config.taker_rate = 230'000;  // τaos takerFee 0.00023
  config.max_maker_rate = 15'000'000;
  config.max_taker_rate = 15'000'000;
  config.target_mtr = 400'000'000;
  config.history_slots = 3;
  return config;
}

MF_TEST(FeesTruncateTowardZero) {
  MF_EXPECT_EQ(FeeFor(100'000, 500'000), 50);
  MF_EXPECT_EQ(FeeFor(1'999, 500'000), 0);
  MF_EXPECT_EQ(FeeFor(100'001, -100'000), -10);
}

MF_TEST(DynamicRatesFollowTheMakerTakerRatioOfMiners) {
  FeePolicy fees(DynamicConfig());
  fees.Update();
  MF_EXPECT_EQ(fees.RatesFor(0).taker_rate, 230'000);  // history not full: x = target
  for (int64_t t = 1; t <= 3; ++t) fees.RecordTrade(t, 1'000, true, false);
  fees.RecordTrade(3, 1'000, false, false);  // background agents do not count
  fees.Update();
  MF_EXPECT_EQ(fees.MakerTakerRatio(), 1'000'000'000);
  MF_EXPECT_EQ(fees.RatesFor(0).maker_rate, 15'000'000);
  MF_EXPECT_EQ(fees.RatesFor(0).taker_rate, 230'000 - 15'000'000);
  for (int64_t t = 4; t <= 6; ++t) fees.RecordTrade(t, 1'000, false, true);
  fees.Update();
  MF_EXPECT_EQ(fees.MakerTakerRatio(), 0);
  MF_EXPECT_EQ(fees.RatesFor(0).maker_rate, -15'000'000);
  MF_EXPECT_EQ(fees.RatesFor(0).taker_rate, 230'000 + 15'000'000);
  MF_EXPECT_EQ(fees.MaxRate(), 15'230'000);
}

MF_TEST(TieredRatesDependOnTheAccountsVolume) {
  BookConfig config = TestConfig();
  config.fee_policy = static_cast<uint8_t>(FeePolicyKind::kTiered);
  config.taker_rate = 1'000'000;
  config.tier_count = 2;
  config.tiers[0] = {100'000, 0, 500'000};
  config.tiers[1] = {1'000'000, -100'000, 200'000};
  MF_EXPECT_EQ(FeePolicy::Validate(config), "");
  FeePolicy fees(config);
  MF_EXPECT_EQ(fees.RatesFor(99'999).taker_rate, 1'000'000);
  MF_EXPECT_EQ(fees.RatesFor(100'000).taker_rate, 500'000);
  MF_EXPECT_EQ(fees.RatesFor(5'000'000).maker_rate, -100'000);
  config.tiers[1].volume_required = 50;
  MF_EXPECT_EQ(FeePolicy::Validate(config),
               "fee tiers must be sorted by strictly increasing volume");
}

MF_TEST(StaticFeesAreChargedPerTradeAndRecordedPerAccount) {
  BookConfig config = TestConfig();
  config.maker_rate = -100'000;  // a 0.01% rebate
  config.taker_rate = 500'000;   // 0.05%
  Engine engine = FundedEngine(2, 10'000, 10'000'000, 1, config);
  engine.Submit(Limit(1, Side::kSell, 100, 1'000));
  engine.Submit(Limit(2, Side::kBuy, 100, 1'000));
  const Output output = Run(engine);
  const Record& trade = output.events.back();
  MF_EXPECT_EQ(trade.taker_fee, 50);
  MF_EXPECT_EQ(trade.maker_fee, -10);
  const Account& maker = *engine.FindAccount(1, 0);
  const Account& taker = *engine.FindAccount(2, 0);
  MF_EXPECT_EQ(maker.quote.free, 10'000'000 + 100'000 + 10);
  MF_EXPECT_EQ(taker.quote.total(), 10'000'000 - 100'000 - 50);
  MF_EXPECT_EQ(taker.fees_paid, 50);
  MF_EXPECT_EQ(maker.fees_paid, -10);
  MF_EXPECT_EQ(taker.taker_volume, 100'000);
  MF_EXPECT_EQ(maker.maker_volume, 100'000);
  MF_EXPECT_EQ(engine.fee_sink(0), 40);
  MF_EXPECT_EQ(engine.CheckInvariants(), "");
}

MF_TEST(DynamicFeesChangeBetweenStepsInTheEngine) {
  Engine engine = FundedEngine(2, 100'000, 100'000'000, 1, DynamicConfig());
  // Three timestamps where miners only make: x → 1, makers pay up.
  for (int i = 0; i < 3; ++i) {
    engine.Submit(Limit(1, Side::kSell, 100, 10));
    engine.Step(engine.now_ns() + 1);
    Instruction taker = Limit(-1, Side::kBuy, 100, 10);
    taker.agent_id = -1;
    engine.Deposit(-1, 0, 0, 1'000'000);
    engine.Submit(taker);
    engine.Step(engine.now_ns() + 1);
  }
  engine.Step(engine.now_ns() + 1);
  MF_EXPECT_EQ(engine.maker_taker_ratio(0), 1'000'000'000);
  MF_EXPECT_EQ(engine.Snapshot(*engine.FindAccount(1, 0)).maker_rate, 15'000'000);
  MF_EXPECT_EQ(engine.CheckInvariants(), "");
}

}  // namespace
}  // namespace mf
