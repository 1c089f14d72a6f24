// The per-book states of a waking population (stylized, high-frequency,
// noise and algorithmic traders): every agent trades every book of its block
// with its own state there (population.h), so a population keeps one
// `BookState` per local book, grown as the books start. The four share how a
// book starts once, how a wake-up finds its book, and the checkpoint framing
// around their own per-book bytes:
//
//   u32 books, then per book: u8 started, and only when started the
//   population's bytes for it.
//
// Kept in one place so the four stay byte-compatible in checkpoints and
// refuse damaged ones the same way. `BookState` is any default-constructible
// struct with a `bool started` member.
#ifndef MARKETFORGE_SIM_AGENTS_INTERNAL_BOOK_STATES_H_
#define MARKETFORGE_SIM_AGENTS_INTERNAL_BOOK_STATES_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "exchange/byte_stream.h"

namespace mf::sim::internal {

// Books a population's checkpoint may hold at most: far more than a block
// has, small enough that a damaged count cannot allocate much.
inline constexpr uint32_t kMaxSavedBooks = 1 << 16;

// The state of `local_book`, made room for in `books` if needed, marked
// started and returned the first time a book starts; null when it has
// started already or `start` is false (it then stays unstarted and is saved
// as such: stylized and noise traders without agents never start a book).
template <typename BookState>
BookState* StartBook(std::vector<BookState>& books, uint32_t local_book, bool start = true) {
  if (books.size() <= local_book) books.resize(local_book + 1);
  BookState& book = books[local_book];
  if (book.started || !start) return nullptr;
  book.started = true;
  return &book;
}

// The state of `local_book` for a wake-up, or null when that book never
// started (a wake-up of a stale or foreign checkpoint).
template <typename BookState>
BookState* StartedBook(std::vector<BookState>& books, uint32_t local_book) {
  return local_book < books.size() && books[local_book].started ? &books[local_book] : nullptr;
}

// Writes the framing above around `save_book(book)` for each started book.
template <typename BookState, typename SaveBook>
void SaveBooks(ByteWriter& out, const std::vector<BookState>& books, SaveBook&& save_book) {
  out.U32(static_cast<uint32_t>(books.size()));
  for (const BookState& book : books) {
    out.U8(book.started ? 1 : 0);
    if (book.started) save_book(book);
  }
}

// Reads what SaveBooks wrote into `books`, each started book by
// `load_book(book)` (false refuses it) once at least `min_book_bytes` remain
// for it. False, `books` untouched, when the bytes are not such
// states.
template <typename BookState, typename LoadBook>
bool LoadBooks(ByteReader& in, size_t min_book_bytes, std::vector<BookState>& books,
               LoadBook&& load_book) {
  const uint32_t book_count = in.U32();
  if (!in.ok() || book_count > kMaxSavedBooks) return false;
  std::vector<BookState> loaded(book_count);
  for (BookState& book : loaded) {
    book.started = in.U8() != 0;
    if (!book.started) continue;
    if (in.remaining() < min_book_bytes || !load_book(book)) return false;
  }
  if (!in.ok()) return false;
  books = std::move(loaded);
  return true;
}

}  // namespace mf::sim::internal

#endif  // MARKETFORGE_SIM_AGENTS_INTERNAL_BOOK_STATES_H_
