// What a background agent sees and does: the door between the agent models
// (native/sim/agents/) and the block that runs them (sim/block.h).
//
// Agents read the book directly at the moment they wake. Feed latency
// (τaos: the market data an agent acts on left the exchange some time
// before it decides) is modelled by adding the feed latency to the order's
// delay: the data is as of the wake-up, the decision is taken feed-latency
// later, and the order arrives order-latency after that — the same timeline
// as a request/response round trip, without a second message.
//
// Book ids here are the block's local ids (0 .. books in the block − 1).
#ifndef MARKETFORGE_SIM_AGENT_CONTEXT_H_
#define MARKETFORGE_SIM_AGENT_CONTEXT_H_

#include <cstdint>

#include "book/order_book.h"
#include "exchange/account.h"
#include "exchange/records.h"
#include "sim/magnetic_field.h"
#include "sim/price_history.h"
#include "sim/random.h"
#include "sim/sim_params.h"

namespace mf::sim {

class AgentContext {
 public:
  virtual ~AgentContext() = default;

  virtual int64_t now_ns() const = 0;
  virtual const SimParams& params() const = 0;
  // The block's random stream: every draw of every agent of the block comes
  // from it, in event order, so a seed fixes them all.
  virtual Random& random() = 0;
  virtual const BookConfig& book_config() const = 0;

  virtual const OrderBook& book(uint32_t local_book) const = 0;
  // Price of the last trade in ticks; 0 before the first.
  virtual int64_t last_trade_ticks(uint32_t local_book) const = 0;
  virtual const PriceHistory& history(uint32_t local_book) const = 0;
  virtual double fundamental_price(uint32_t local_book) const = 0;
  virtual const MagneticField& field(uint32_t local_book) const = 0;
  // Null when the agent has no account on the book.
  virtual const Account* account(int32_t agent_id, uint32_t local_book) const = 0;

  // Opens the account if needed and adds the balances (lots, quote units).
  virtual void Deposit(int32_t agent_id, uint32_t local_book, int64_t base_lots,
                       int64_t quote_units) = 0;
  // Sends an instruction (book_id = local book; delay_ns = its latency).
  virtual void Submit(const Instruction& instruction) = 0;
  // Wakes agent `index` of population `population` on `local_book` after
  // `delay_ns` (> 0).
  virtual void WakeAfter(int64_t delay_ns, uint8_t population, uint32_t local_book,
                         uint32_t index) = 0;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_AGENT_CONTEXT_H_
