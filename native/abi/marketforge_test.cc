// The C ABI end to end: sizes, status codes, buffers, checkpoints.
#include "abi/marketforge.h"

#include <cstring>
#include <string>
#include <vector>

#include "exchange/engine_test_util.h"
#include "testing/test.h"

namespace mf {
namespace {

using namespace mf::testing;

mf_engine* CreateEngine(uint32_t books) {
  std::vector<BookConfig> configs(books, TestConfig());
  int32_t status = 1;
  mf_engine* engine = mf_engine_create(configs.data(), books, &status, nullptr, 0);
  MF_EXPECT_EQ(status, MF_OK);
  return engine;
}

MF_TEST(AbiReportsItsVersionAndRecordSizes) {
  MF_EXPECT_EQ(mf_abi_version(), 2);
  MF_EXPECT_EQ(mf_instruction_size(), 64u);
  MF_EXPECT_EQ(mf_record_size(), 80u);
  MF_EXPECT_EQ(mf_book_config_size(), 176u);
  MF_EXPECT_EQ(mf_account_size(), 136u);
  MF_EXPECT_EQ(mf_depth_entry_size(), 24u);
  MF_EXPECT_EQ(std::string(mf_reject_message(18)), "order would cross the book but is post-only");
  MF_EXPECT_EQ(std::string(mf_status_message(MF_ERR_BUFFER_TOO_SMALL)), "buffer too small");
}

MF_TEST(AbiRefusesBadConfigsWithAReason) {
  BookConfig config = TestConfig();
  config.price_decimals = 9;
  int32_t status = 0;
  char error[128];
  MF_EXPECT_TRUE(mf_engine_create(&config, 1, &status, error, sizeof error) == nullptr);
  MF_EXPECT_EQ(status, MF_ERR_INVALID_ARGUMENT);
  MF_EXPECT_EQ(std::string(error), "book 0: price and volume decimals must be at most 8");
  MF_EXPECT_TRUE(mf_engine_create(nullptr, 1, &status, nullptr, 0) == nullptr);
  MF_EXPECT_EQ(status, MF_ERR_NULL_ARGUMENT);
}

MF_TEST(AbiRoundTripFromDepositToRecordsAccountsDepthAndCheckpoint) {
  mf_engine* engine = CreateEngine(2);
  MF_EXPECT_EQ(mf_engine_deposit(engine, 1, 0, 1'000, 1'000'000), MF_OK);
  MF_EXPECT_EQ(mf_engine_deposit(engine, 2, 0, 1'000, 1'000'000), MF_OK);
  MF_EXPECT_EQ(mf_engine_deposit(engine, 2, 7, 1, 1), MF_ERR_NOT_FOUND);
  MF_EXPECT_EQ(mf_engine_deposit(engine, 2, 0, -1, 1), MF_ERR_INVALID_ARGUMENT);
  const Instruction orders[] = {Limit(1, Side::kSell, 100, 10), Limit(2, Side::kBuy, 100, 4)};
  MF_EXPECT_EQ(mf_engine_submit(engine, orders, 2), MF_OK);
  MF_EXPECT_EQ(mf_engine_step(engine, 5), MF_OK);
  MF_EXPECT_EQ(mf_engine_now(engine), 5);
  MF_EXPECT_EQ(mf_engine_pending_events(engine), 3u);
  Record records[2];
  uint32_t written = 0;
  MF_EXPECT_EQ(mf_engine_read_events(engine, records, 2, &written), MF_OK);
  MF_EXPECT_EQ(written, 2u);
  MF_EXPECT_EQ(mf_engine_read_events(engine, records, 2, &written), MF_OK);
  MF_EXPECT_EQ(written, 1u);
  MF_EXPECT_TRUE(Is(records[0], RecordKind::kTrade));
  MF_EXPECT_EQ(mf_engine_pending_notices(engine), 4u);

  AccountRecord account;
  MF_EXPECT_EQ(mf_engine_account(engine, 2, 0, &account), MF_OK);
  MF_EXPECT_EQ(account.base_total, 1'004);
  MF_EXPECT_EQ(mf_engine_account(engine, 3, 0, &account), MF_ERR_NOT_FOUND);
  AccountRecord all[1];
  MF_EXPECT_EQ(mf_engine_accounts(engine, all, 1, &written), MF_ERR_BUFFER_TOO_SMALL);
  MF_EXPECT_EQ(written, 2u);

  uint32_t needed = 0;
  MF_EXPECT_EQ(mf_engine_depth(engine, 0, 21, 5, nullptr, 0, &needed), MF_ERR_BUFFER_TOO_SMALL);
  MF_EXPECT_EQ(needed, 24u * 3);  // header, one ask level, one order
  std::vector<uint8_t> depth(needed);
  MF_EXPECT_EQ(mf_engine_depth(engine, 0, 21, 5, depth.data(), needed, &needed), MF_OK);
  MF_EXPECT_EQ(mf_engine_depth(engine, 9, 21, 5, depth.data(), needed, &needed), MF_ERR_NOT_FOUND);

  uint32_t size = 0;
  MF_EXPECT_EQ(mf_engine_checkpoint_size(engine, &size), MF_OK);
  std::vector<uint8_t> checkpoint(size);
  MF_EXPECT_EQ(mf_engine_checkpoint_write(engine, checkpoint.data(), size - 1, &written),
               MF_ERR_BUFFER_TOO_SMALL);
  MF_EXPECT_EQ(mf_engine_checkpoint_write(engine, checkpoint.data(), size, &written), MF_OK);
  int32_t status = 0;
  mf_engine* restored = mf_engine_restore(checkpoint.data(), size, &status, nullptr, 0);
  MF_EXPECT_EQ(status, MF_OK);
  MF_EXPECT_EQ(mf_engine_pending_notices(restored), 4u);
  MF_EXPECT_EQ(mf_engine_check(restored, nullptr, 0), MF_OK);
  char error[128];
  checkpoint[12] ^= 0xFF;
  MF_EXPECT_TRUE(mf_engine_restore(checkpoint.data(), size, &status, error, sizeof error) ==
                 nullptr);
  MF_EXPECT_EQ(status, MF_ERR_CORRUPT);
  MF_EXPECT_EQ(std::string(error), "checkpoint checksum does not match its contents");
  mf_engine_destroy(restored);
  mf_engine_destroy(engine);
}

MF_TEST(AbiRefusesNullArguments) {
  uint32_t written = 0;
  MF_EXPECT_EQ(mf_engine_submit(nullptr, nullptr, 0), MF_ERR_NULL_ARGUMENT);
  MF_EXPECT_EQ(mf_engine_step(nullptr, 1), MF_ERR_NULL_ARGUMENT);
  MF_EXPECT_EQ(mf_engine_read_events(nullptr, nullptr, 0, &written), MF_ERR_NULL_ARGUMENT);
  mf_engine* engine = CreateEngine(1);
  MF_EXPECT_EQ(mf_engine_submit(engine, nullptr, 3), MF_ERR_NULL_ARGUMENT);
  MF_EXPECT_EQ(mf_engine_read_notices(engine, nullptr, 4, &written), MF_ERR_NULL_ARGUMENT);
  MF_EXPECT_EQ(mf_engine_account(engine, 1, 0, nullptr), MF_ERR_NULL_ARGUMENT);
  MF_EXPECT_EQ(mf_engine_checkpoint_size(engine, nullptr), MF_ERR_NULL_ARGUMENT);
  mf_engine_destroy(engine);
  mf_engine_destroy(nullptr);
}

}  // namespace
}  // namespace mf
