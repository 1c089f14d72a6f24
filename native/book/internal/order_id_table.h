// The order id → pool slot table of a book, for O(1) cancel without
// per-operation allocation (shared/reference/perf.md §1: the fast books keep
// an id → slot table beside pooled orders).
//
// A book hands out ids sequentially, so the table is a sliding window: ids
// in [base, base + window size) index a plain array directly (an insert is
// an append, a lookup one array read), and the few long-lived orders whose
// ids fall behind the window move to an open-addressing hash. The window
// slides forward once it is mostly holes, so memory stays proportional to
// the live orders however many ids a long run hands out.
#ifndef MARKETFORGE_BOOK_INTERNAL_ORDER_ID_TABLE_H_
#define MARKETFORGE_BOOK_INTERNAL_ORDER_ID_TABLE_H_

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mf::internal {

// Linear probing over a power-of-two array of (id, slot) pairs; id 0 marks an
// empty cell (order ids start at 1). Erase uses backward-shift deletion, so
// there are no tombstones and probe chains stay short at load ≤ 1/2.
class OrderIdHash {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  OrderIdHash() : cells_(kInitialCapacity) {}

  size_t size() const { return size_; }

  uint32_t Find(uint64_t id) const {
    if (id == 0) return kNotFound;
    for (size_t i = Home(id);; i = (i + 1) & mask()) {
      const Cell& cell = cells_[i];
      if (cell.id == id) return cell.slot;
      if (cell.id == 0) return kNotFound;
    }
  }

  // Inserts or overwrites; `id` must be non-zero.
  void Insert(uint64_t id, uint32_t slot) {
    if (2 * (size_ + 1) > cells_.size()) Grow();
    size_t i = Home(id);
    while (cells_[i].id != 0 && cells_[i].id != id) i = (i + 1) & mask();
    if (cells_[i].id == 0) ++size_;
    cells_[i] = Cell{id, slot};
  }

  void Erase(uint64_t id) {
    if (id == 0) return;
    size_t i = Home(id);
    while (cells_[i].id != id) {
      if (cells_[i].id == 0) return;
      i = (i + 1) & mask();
    }
    // Backward shift: pull later members of the chain into the hole.
    size_t hole = i;
    for (size_t j = (hole + 1) & mask(); cells_[j].id != 0; j = (j + 1) & mask()) {
      const size_t home = Home(cells_[j].id);
      const bool movable = ((j - home) & mask()) >= ((j - hole) & mask());
      if (movable) {
        cells_[hole] = cells_[j];
        hole = j;
      }
    }
    cells_[hole] = Cell{};
    --size_;
  }

 private:
  static constexpr size_t kInitialCapacity = 64;

  struct Cell {
    uint64_t id = 0;
    uint32_t slot = 0;
  };

  size_t mask() const { return cells_.size() - 1; }

  // Fibonacci hashing: ids are sequential, so spread them over the table.
  size_t Home(uint64_t id) const {
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> 20) & mask();
  }

  void Grow() {
    std::vector<Cell> old = std::move(cells_);
    cells_.assign(old.size() * 2, Cell{});
    size_ = 0;
    for (const Cell& cell : old) {
      if (cell.id != 0) Insert(cell.id, cell.slot);
    }
  }

  std::vector<Cell> cells_;
  size_t size_ = 0;
};

class OrderIdTable {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  size_t size() const { return window_live_ + behind_.size(); }

  uint32_t Find(uint64_t id) const {
    if (id < base_) return behind_.Find(id);
    const uint64_t index = id - base_;
    return index < window_.size() ? window_[index] : kNotFound;
  }

  // Inserts or overwrites; `id` must be non-zero.
  void Insert(uint64_t id, uint32_t slot) {
    if (id < base_) {
      behind_.Insert(id, slot);
      return;
    }
    const uint64_t index = id - base_;
    if (index >= window_.size()) {
      if (index - window_.size() > kMaxGap) {
        // Far ahead of the window: restart the window at this id.
        Slide(id - base_);
        Insert(id, slot);
        return;
      }
      if (index == window_.size()) {
        window_.push_back(kNotFound);
      } else {
        window_.resize(index + 1, kNotFound);
      }
      if (window_.size() >= kMinWindow && window_.size() > 4 * window_live_) {
        Slide(window_.size() / 2);
        Insert(id, slot);
        return;
      }
    }
    if (window_[index] == kNotFound) ++window_live_;
    window_[index] = slot;
  }

  // Forgets every id, keeping the window's memory.
  void Clear() {
    base_ = 0;
    window_.clear();
    window_live_ = 0;
    behind_ = OrderIdHash();
  }

  void Erase(uint64_t id) {
    if (id < base_) {
      behind_.Erase(id);
      return;
    }
    const uint64_t index = id - base_;
    if (index < window_.size() && window_[index] != kNotFound) {
      window_[index] = kNotFound;
      --window_live_;
    }
  }

 private:
  static constexpr size_t kMinWindow = 4096;
  static constexpr uint64_t kMaxGap = 1 << 20;

  // Moves the first `count` ids of the window behind it.
  void Slide(uint64_t count) {
    const size_t moved = static_cast<size_t>(std::min<uint64_t>(count, window_.size()));
    for (size_t i = 0; i < moved; ++i) {
      if (window_[i] == kNotFound) continue;
      behind_.Insert(base_ + i, window_[i]);
      --window_live_;
    }
    window_.erase(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(moved));
    base_ += count;
  }

  uint64_t base_ = 0;
  std::vector<uint32_t> window_;
  size_t window_live_ = 0;
  OrderIdHash behind_;
};

}  // namespace mf::internal

#endif  // MARKETFORGE_BOOK_INTERNAL_ORDER_ID_TABLE_H_
