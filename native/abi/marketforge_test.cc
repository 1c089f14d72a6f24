#include "abi/marketforge.h"

#include <cstring>

#include "book/records.h"
#include "testing/test.h"

namespace mf {
namespace {

MF_TEST(AbiReportsRecordSizes) {
  MF_EXPECT_EQ(mf_abi_version(), MF_ABI_VERSION);
  MF_EXPECT_EQ(mf_command_size(), 32u);
  MF_EXPECT_EQ(mf_event_size(), 48u);
}

MF_TEST(AbiRejectsNullArguments) {
  uint32_t count = 0;
  MF_EXPECT_EQ(mf_book_apply(nullptr, nullptr, 0, &count), MF_ERR_NULL_ARGUMENT);
  mf_book* book = mf_book_create();
  MF_EXPECT_EQ(mf_book_apply(book, nullptr, 3, &count), MF_ERR_NULL_ARGUMENT);
  MF_EXPECT_EQ(mf_book_read_events(book, nullptr, 1, &count), MF_ERR_NULL_ARGUMENT);
  MF_EXPECT_EQ(mf_book_depth(book, 1, nullptr, &count, &count), MF_ERR_NULL_ARGUMENT);
  MF_EXPECT_EQ(mf_book_pending_events(nullptr), 0u);
  mf_book_destroy(book);
  mf_book_destroy(nullptr);
}

MF_TEST(AbiRoundTripsUnalignedCommandsAndDrainsEventsInChunks) {
  mf_book* book = mf_book_create();
  const Command commands[3] = {
      {CommandKind::kLimit, Side::kSell, 0, 1, 0, 100, 2},
      {CommandKind::kLimit, Side::kSell, 0, 1, 0, 100, 3},
      {CommandKind::kLimit, Side::kBuy, 0, 2, 0, 100, 4},
  };
  unsigned char unaligned[sizeof commands + 1];
  std::memcpy(unaligned + 1, commands, sizeof commands);
  uint32_t applied = 0;
  MF_EXPECT_EQ(mf_book_apply(book, unaligned + 1, 3, &applied), MF_OK);
  MF_EXPECT_EQ(applied, 3u);
  MF_EXPECT_EQ(mf_book_pending_events(book), 5u);  // 3 placed + 2 trades

  Event events[3];
  uint32_t written = 0;
  MF_EXPECT_EQ(mf_book_read_events(book, events, 3, &written), MF_OK);
  MF_EXPECT_EQ(written, 3u);
  MF_EXPECT_EQ(mf_book_read_events(book, events, 3, &written), MF_OK);
  MF_EXPECT_EQ(written, 2u);
  MF_EXPECT_TRUE(events[1].kind == EventKind::kTrade);
  MF_EXPECT_EQ(events[1].quantity_lots, 2);
  MF_EXPECT_EQ(mf_book_pending_events(book), 0u);

  int64_t depth[8];
  uint32_t bids = 0;
  uint32_t asks = 0;
  MF_EXPECT_EQ(mf_book_depth(book, 2, depth, &bids, &asks), MF_OK);
  MF_EXPECT_EQ(bids, 0u);
  MF_EXPECT_EQ(asks, 1u);
  MF_EXPECT_EQ(depth[4], 100);
  MF_EXPECT_EQ(depth[5], 1);
  mf_book_destroy(book);
}

}  // namespace
}  // namespace mf
