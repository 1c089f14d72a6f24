#include "exchange/reject_code.h"

namespace mf {

const char* RejectMessage(uint16_t code) {
  static constexpr const char* kMessages[kRejectCodeCount] = {
      "accepted",
      "agent has no account on this book",
      "not enough free base balance",
      "not enough free quote balance",
      "the opposite side of the book is empty",
      "price is not a multiple of the book's price increment",
      "quantity is not a multiple of the book's volume increment",
      "the loan would exceed the book's maximum loan",
      "order fields contradict each other",
      "leverage is negative or above the book's maximum",
      "quantity must be positive",
      "price must be positive",
      "agent already has the maximum number of open orders on this book",
      "a leveraged position cannot be held on both sides",
      "quantity is below the book's minimum order size",
      "book does not exist",
      "unknown instruction kind",
      "side must be 0 (buy) or 1 (sell)",
      "order would cross the book but is post-only",
      "order is not resting on this book",
      "order belongs to another agent",
      "delay must be a non-negative number of nanoseconds",
      "fill-or-kill order cannot be filled in full",
      "order has no open position to close",
  };
  return code < kRejectCodeCount ? kMessages[code] : "unknown reject code";
}

}  // namespace mf
