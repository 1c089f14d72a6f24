#include "sim/agents/internal/book_states.h"

#include <vector>

#include "testing/test.h"

namespace mf::sim::internal {
namespace {

struct CounterBook {
  bool started = false;
  uint32_t value = 0;
};

MF_TEST(ABookStartsOnceAndOnlyStartedBooksWake) {
  std::vector<CounterBook> books;
  MF_EXPECT_TRUE(StartedBook(books, 0) == nullptr);
  MF_EXPECT_TRUE(StartBook(books, 2, false) == nullptr);
  MF_EXPECT_EQ(books.size(), size_t{3});
  MF_EXPECT_TRUE(StartedBook(books, 2) == nullptr);
  CounterBook* book = StartBook(books, 1);
  MF_EXPECT_TRUE(book == &books[1]);
  MF_EXPECT_TRUE(StartBook(books, 1) == nullptr);
  MF_EXPECT_TRUE(StartedBook(books, 1) == &books[1]);
  MF_EXPECT_TRUE(StartedBook(books, 5) == nullptr);
}

MF_TEST(BookStatesRoundTripAndDamagedOnesLeaveTheStatesAlone) {
  std::vector<CounterBook> books;
  StartBook(books, 0)->value = 7;
  StartBook(books, 2)->value = 9;
  ByteWriter out;
  SaveBooks(out, books, [&](const CounterBook& book) { out.U32(book.value); });
  const std::vector<uint8_t> bytes = out.bytes();
  // u32 books, then u8 started (+ u32 value) per book.
  MF_EXPECT_EQ(bytes.size(), size_t{4 + 5 + 1 + 5});

  const auto load = [](ByteReader& in) {
    return [&in](CounterBook& book) {
      book.value = in.U32();
      return book.value != 0;
    };
  };
  std::vector<CounterBook> loaded;
  ByteReader in(bytes.data(), bytes.size());
  MF_EXPECT_TRUE(LoadBooks(in, 4, loaded, load(in)));
  MF_EXPECT_EQ(loaded.size(), size_t{3});
  MF_EXPECT_TRUE(loaded[0].started && loaded[0].value == 7);
  MF_EXPECT_TRUE(!loaded[1].started);
  MF_EXPECT_TRUE(loaded[2].started && loaded[2].value == 9);

  ByteReader short_in(bytes.data(), bytes.size() - 1);
  MF_EXPECT_TRUE(!LoadBooks(short_in, 4, loaded, load(short_in)));
  std::vector<uint8_t> zeroed = bytes;
  zeroed[5] = 0;  // the first book's value: its loader refuses 0
  ByteReader zeroed_in(zeroed.data(), zeroed.size());
  MF_EXPECT_TRUE(!LoadBooks(zeroed_in, 4, loaded, load(zeroed_in)));
  std::vector<uint8_t> huge = bytes;
  huge[3] = 0xff;  // more books than a checkpoint may hold
  ByteReader huge_in(huge.data(), huge.size());
  MF_EXPECT_TRUE(!LoadBooks(huge_in, 4, loaded, load(huge_in)));
  MF_EXPECT_EQ(loaded[0].value, 7u);
}

}  // namespace
}  // namespace mf::sim::internal
