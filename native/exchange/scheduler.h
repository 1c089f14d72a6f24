// The discrete-event queue (shared/reference/taos.md §2.1, from MAXE): every
// message has an integer-nanosecond arrival time = send time + delay, and
// messages are delivered in (arrival, sequence) order, the sequence being
// the order they were sent in. That total order is what makes a run
// deterministic: the same inputs always deliver in the same order.
#ifndef MARKETFORGE_EXCHANGE_SCHEDULER_H_
#define MARKETFORGE_EXCHANGE_SCHEDULER_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "exchange/records.h"

namespace mf {

// Engine-generated messages, never accepted from agents.
enum class InternalKind : uint8_t {
  kNone = 0,    // an agent's instruction
  kExpire = 1,  // a GTT order's lifetime is over
};

struct Message {
  int64_t arrival_ns;
  uint64_t sequence;
  InternalKind internal;
  Instruction instruction;
};

class Scheduler {
 public:
  void Push(int64_t arrival_ns, InternalKind internal, const Instruction& instruction) {
    heap_.push_back(Message{arrival_ns, next_sequence_++, internal, instruction});
    std::push_heap(heap_.begin(), heap_.end(), Later);
  }

  // Whether a message arrives strictly before `until_ns`.
  bool HasBefore(int64_t until_ns) const {
    return !heap_.empty() && heap_.front().arrival_ns < until_ns;
  }

  Message Pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Later);
    const Message message = heap_.back();
    heap_.pop_back();
    return message;
  }

  size_t size() const { return heap_.size(); }
  // The heap array itself, for checkpoints: restoring it verbatim keeps the
  // delivery order identical.
  const std::vector<Message>& messages() const { return heap_; }
  uint64_t next_sequence() const { return next_sequence_; }

  // Restores a saved queue; false unless it is a valid heap whose sequence
  // numbers are all below `next_sequence`.
  bool Restore(std::vector<Message> heap, uint64_t next_sequence) {
    for (const Message& message : heap) {
      if (message.sequence >= next_sequence) return false;
    }
    if (!std::is_heap(heap.begin(), heap.end(), Later)) return false;
    heap_ = std::move(heap);
    next_sequence_ = next_sequence;
    return true;
  }

 private:
  // Heap order: the message that should come out first is the greatest.
  static bool Later(const Message& a, const Message& b) {
    if (a.arrival_ns != b.arrival_ns) return a.arrival_ns > b.arrival_ns;
    return a.sequence > b.sequence;
  }

  std::vector<Message> heap_;
  uint64_t next_sequence_ = 0;
};

}  // namespace mf

#endif  // MARKETFORGE_EXCHANGE_SCHEDULER_H_
