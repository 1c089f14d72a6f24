// An agent's account on one book (τaos §2.6: capital is per book, no
// cross-margining; §3.4 published fields).
#ifndef MARKETFORGE_EXCHANGE_ACCOUNT_H_
#define MARKETFORGE_EXCHANGE_ACCOUNT_H_

#include <cstdint>

namespace mf {

// One currency of an account. Total = free + reserved; reserved backs the
// account's resting orders (base lots for sells, quote for buys including
// the worst-case fee) and is released when they fill or are cancelled.
struct Balance {
  int64_t free = 0;
  int64_t reserved = 0;

  int64_t total() const { return free + reserved; }
};

struct Account {
  int32_t agent_id = 0;
  uint32_t book_id = 0;
  Balance base;   // lots
  Balance quote;  // quote units
  // Leverage (τaos §2.2 margin): what the account owes the exchange and the
  // assets locked against it. Collateral is part of neither free nor
  // reserved: it belongs to the account but cannot be traded until the loan
  // is repaid (close position) or liquidated (margin call).
  int64_t base_loan = 0;
  int64_t quote_loan = 0;
  int64_t base_collateral = 0;
  int64_t quote_collateral = 0;
  int64_t fees_paid = 0;     // quote units; rebates negative
  int64_t maker_volume = 0;  // quote units
  int64_t taker_volume = 0;
  uint32_t open_orders = 0;
  uint32_t open_loans = 0;

  int64_t traded_volume() const { return maker_volume + taker_volume; }
};

}  // namespace mf

#endif  // MARKETFORGE_EXCHANGE_ACCOUNT_H_
