#include "abi/marketforge.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <span>
#include <vector>

#include "book/order_book.h"
#include "book/records.h"

struct mf_book {
  mf::OrderBook book;
  std::vector<mf::Event> pending;
  size_t read_position = 0;
};

namespace {

// Runs `body`, turning any C++ exception into a status code.
template <typename Body>
int32_t Guarded(Body&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return MF_ERR_OUT_OF_MEMORY;
  } catch (...) {
    return MF_ERR_INTERNAL;
  }
}

}  // namespace

extern "C" {

int32_t mf_abi_version(void) { return MF_ABI_VERSION; }
uint32_t mf_command_size(void) { return sizeof(mf::Command); }
uint32_t mf_event_size(void) { return sizeof(mf::Event); }

mf_book* mf_book_create(void) { return new (std::nothrow) mf_book(); }

void mf_book_destroy(mf_book* book) { delete book; }

int32_t mf_book_apply(mf_book* book, const void* commands, uint32_t count, uint32_t* applied) {
  if (book == nullptr || applied == nullptr || (commands == nullptr && count > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  *applied = 0;
  return Guarded([&] {
    const auto* bytes = static_cast<const unsigned char*>(commands);
    for (uint32_t i = 0; i < count; ++i) {
      // memcpy: the caller's buffer need not be aligned for mf::Command.
      mf::Command command;
      std::memcpy(&command, bytes + static_cast<size_t>(i) * sizeof command, sizeof command);
      book->book.Apply(command, book->pending);
      ++*applied;
    }
    return MF_OK;
  });
}

uint32_t mf_book_pending_events(const mf_book* book) {
  if (book == nullptr) return 0;
  return static_cast<uint32_t>(book->pending.size() - book->read_position);
}

int32_t mf_book_read_events(mf_book* book, void* out, uint32_t capacity, uint32_t* written) {
  if (book == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  const size_t available = book->pending.size() - book->read_position;
  const size_t count = std::min<size_t>(capacity, available);
  if (count > 0) {
    std::memcpy(out, book->pending.data() + book->read_position, count * sizeof(mf::Event));
  }
  book->read_position += count;
  if (book->read_position == book->pending.size()) {
    book->pending.clear();
    book->read_position = 0;
  }
  *written = static_cast<uint32_t>(count);
  return MF_OK;
}

int32_t mf_book_depth(const mf_book* book, uint32_t max_levels, int64_t* out,
                      uint32_t* bid_levels, uint32_t* ask_levels) {
  if (book == nullptr || bid_levels == nullptr || ask_levels == nullptr ||
      (out == nullptr && max_levels > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  auto* levels = reinterpret_cast<mf::DepthLevel*>(out);
  *bid_levels = static_cast<uint32_t>(
      book->book.Depth(mf::Side::kBuy, std::span(levels, max_levels)));
  *ask_levels = static_cast<uint32_t>(
      book->book.Depth(mf::Side::kSell, std::span(levels + max_levels, max_levels)));
  return MF_OK;
}

}  // extern "C"
