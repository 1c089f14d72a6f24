// The agent wake-ups of a block's discrete-event loop (sim/block.h), earliest
// first and, at equal times, in the order they were scheduled: with one
// random stream per block that order fixes every agent's draws, so it is
// what makes a seed reproduce a run. The populations' test context
// (agents/internal/test_context.h) runs this same queue, so the tests see the
// wake-ups in the order a block would.
//
// In a checkpoint the queue is its next sequence number (saved where the
// owner puts it) and its wake-ups: u64 count, then per wake-up i64 time,
// u64 sequence, u32 book, u32 index, u8 population, in heap order.
#ifndef MARKETFORGE_SIM_WAKE_QUEUE_H_
#define MARKETFORGE_SIM_WAKE_QUEUE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exchange/byte_stream.h"

namespace mf::sim {

class WakeQueue {
 public:
  struct Wake {
    int64_t time_ns;
    uint64_t sequence;  // scheduling order, the tie-break at equal times
    uint32_t book;
    uint32_t index;
    uint8_t population;
  };
  // Bytes one wake-up takes in a checkpoint.
  static constexpr size_t kSavedWakeBytes = 8 + 8 + 4 + 4 + 1;

  // Schedules agent `index` of `population` on `book` at `time_ns`.
  void Push(int64_t time_ns, uint8_t population, uint32_t book, uint32_t index) {
    wakes_.push_back(Wake{time_ns, next_sequence_++, book, index, population});
    std::push_heap(wakes_.begin(), wakes_.end(), Later);
  }

  // Takes the next wake-up if it comes before `end_ns`.
  std::optional<Wake> PopBefore(int64_t end_ns) {
    if (wakes_.empty() || wakes_.front().time_ns >= end_ns) return std::nullopt;
    std::pop_heap(wakes_.begin(), wakes_.end(), Later);
    const Wake wake = wakes_.back();
    wakes_.pop_back();
    return wake;
  }

  uint64_t next_sequence() const { return next_sequence_; }
  void set_next_sequence(uint64_t sequence) { next_sequence_ = sequence; }

  void SaveWakes(ByteWriter& out) const {
    out.U64(wakes_.size());
    for (const Wake& wake : wakes_) {
      out.I64(wake.time_ns);
      out.U64(wake.sequence);
      out.U32(wake.book);
      out.U32(wake.index);
      out.U8(wake.population);
    }
  }

  // Reads what SaveWakes wrote. False, with why in `error`, when the bytes
  // run short, when `names_agent(wake)` refuses one, or when they are not in
  // heap order; the queue is then unusable until loaded again.
  template <typename NamesAgent>
  bool LoadWakes(ByteReader& in, NamesAgent&& names_agent, std::string& error) {
    const uint64_t count = in.U64();
    if (!in.ok() || count > in.remaining() / kSavedWakeBytes) {
      error = "truncated checkpoint";
      return false;
    }
    wakes_.resize(count);
    for (Wake& wake : wakes_) {
      wake.time_ns = in.I64();
      wake.sequence = in.U64();
      wake.book = in.U32();
      wake.index = in.U32();
      wake.population = in.U8();
      if (!names_agent(wake)) {
        error = "a wake-up in the checkpoint names no agent";
        return false;
      }
    }
    if (!std::is_heap(wakes_.begin(), wakes_.end(), Later)) {
      error = "the checkpoint's wake-up queue is not in order";
      return false;
    }
    return true;
  }

 private:
  // Heap order: the earliest (then first scheduled) wake-up is the greatest.
  static bool Later(const Wake& a, const Wake& b) {
    return a.time_ns != b.time_ns ? a.time_ns > b.time_ns : a.sequence > b.sequence;
  }

  std::vector<Wake> wakes_;
  uint64_t next_sequence_ = 0;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_WAKE_QUEUE_H_
