// The exchange engine: N independent books, each agent's account per book,
// and a discrete-event scheduler in integer nanoseconds
// (shared/reference/taos.md §2.1–2.3, §2.6, §3.3–3.6).
//
// An instruction is submitted with a delay and arrives at now + delay.
// Step(until) first updates fee rates and runs margin checks (τaos does both
// before each step), then delivers every message with arrival < until in
// (arrival, sequence) order, and finally moves the clock to `until`.
// Delivering an order runs: validation (RejectCode) → reservation of the
// worst-case cost → matching (price-time, self-trade prevention) →
// settlement and fees per fill → rest, expire (GTT) or kill the remainder
// (IOC, FOK, market). Everything that happens is appended as fixed-layout
// Records to two queues the caller drains: L3 events (all agents) and
// per-agent notices. Same inputs ⇒ byte-identical records.
//
// Market orders take no time in force, post-only or leverage; they trade
// from free balances (a buy as far as its free quote pays, fees included)
// and never rest.
//
// Leverage (τaos §2.2 margin), as implemented here: an order's quantity is
// its full size; with leverage L the account puts up 1/(1+L) of it and
// borrows the rest from the book's lender when the order fills. A leveraged
// buy (long) borrows quote and locks the bought base as collateral; a
// leveraged sell (short) borrows base and locks the sale proceeds. Each
// filled leveraged order is one Loan. A long is margin-called when
// best_bid · collateral · (1 − mm) ≤ loan (τaos's P·L/((1+L)(1−mm)) for one
// fill at P); a short when best_ask · loan · (1 + mm) ≥ collateral. Closing
// or liquidating a loan trades its collateral back with a market order,
// repays the lender from the proceeds and the account's free balance, and
// writes off any shortfall (the lender's loss, tracked per book), so
// balances never go negative.
//
// Conservation, checked by CheckInvariants(): per book,
//   Σ base(free + reserved + collateral) − base lent − base written off
//     = base deposited,
//   Σ quote(free + reserved + collateral) + fee sink − quote lent
//     − quote written off = quote deposited.
#ifndef MARKETFORGE_EXCHANGE_ENGINE_H_
#define MARKETFORGE_EXCHANGE_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "book/order_book.h"
#include "exchange/account.h"
#include "exchange/fee_policy.h"
#include "exchange/records.h"
#include "exchange/reject_code.h"
#include "exchange/scheduler.h"

namespace mf {

class Engine {
 public:
  // Bounds that keep every product exact in int64: price × lots < 2^62.
  static constexpr int64_t kMaxTicks = (int64_t{1} << 31) - 1;
  static constexpr int64_t kMaxLots = (int64_t{1} << 31) - 1;
  // Largest single deposit balance, and largest total a book's deposits may
  // reach (so sums over accounts stay exact).
  static constexpr int64_t kMaxBalance = int64_t{1} << 52;
  static constexpr int64_t kMaxDeposited = int64_t{1} << 62;

  // Checks one book's configuration; empty when valid, else why not.
  static std::string ValidateConfig(const BookConfig& config);

  // `configs` must all be valid (ValidateConfig).
  explicit Engine(std::span<const BookConfig> configs);

  size_t book_count() const { return books_.size(); }
  int64_t now_ns() const { return now_ns_; }
  const BookConfig& config(uint32_t book_id) const { return books_[book_id].config; }

  // Opens the account of (agent, book) if needed and adds to its free
  // balances. Returns an empty string, or why the deposit was refused.
  std::string Deposit(int32_t agent_id, uint32_t book_id, int64_t base_lots,
                      int64_t quote_units);

  // Queues an instruction to arrive at now + delay. Never fails: a bad
  // instruction is rejected with a notice when it arrives.
  void Submit(const Instruction& instruction);

  // Advances the clock to `until_ns` (see the file comment): PrepareStep
  // then Advance.
  void Step(int64_t until_ns);
  // The start-of-step work: fee rates are updated and margins checked.
  void PrepareStep();
  // Delivers every message with arrival < until_ns and moves the clock
  // there, without the start-of-step work. A simulation that interleaves
  // agent wake-ups with exchange messages advances many times per step.
  void Advance(int64_t until_ns);

  // Rebuilds (agent, book)'s account as new (τaos §2.6 deregistration,
  // RESET_AGENT): cancels its resting orders, closes its loans, takes its
  // balances out and deposits the given ones, and clears its volumes and
  // fees. Returns an empty string, or why it could not.
  std::string ResetAccount(int32_t agent_id, uint32_t book_id, int64_t base_lots,
                           int64_t quote_units);

  // Whether agents with negative ids (the simulation's background agents,
  // who never read notices) get notices. On by default; a simulation turns
  // it off so the notice queue only carries what remote agents need.
  void set_background_notices(bool enabled) { background_notices_ = enabled; }
  // Messages delivered since the engine was created (not checkpointed).
  uint64_t delivered_messages() const { return delivered_messages_; }

  size_t queued_messages() const { return scheduler_.size(); }

  // Output queues: records not yet read, oldest first.
  std::span<const Record> pending_events() const;
  std::span<const Record> pending_notices() const;
  void ConsumeEvents(size_t count);
  void ConsumeNotices(size_t count);

  const Account* FindAccount(int32_t agent_id, uint32_t book_id) const;
  const std::vector<Account>& accounts() const { return accounts_; }
  AccountRecord Snapshot(const Account& account) const;
  const OrderBook& book(uint32_t book_id) const { return books_[book_id].book; }
  int64_t fee_sink(uint32_t book_id) const { return books_[book_id].fee_sink; }
  int64_t maker_taker_ratio(uint32_t book_id) const {
    return books_[book_id].fees.MakerTakerRatio();
  }

  // Writes the depth snapshot of `book_id` (records.h DepthHeader, levels,
  // orders) into `out`; returns the bytes needed, writing only if they fit.
  size_t WriteDepth(uint32_t book_id, uint32_t max_levels, uint32_t detailed_levels,
                    std::span<uint8_t> out) const;

  // Checks every invariant: books uncrossed, balances non-negative,
  // reservations equal to what resting orders need, conservation. Empty when
  // all hold, else the first violation.
  std::string CheckInvariants() const;

  // The whole engine as bytes, and back. Restore returns null (and says why
  // in `error`) for anything that is not a checkpoint of a valid engine.
  std::vector<uint8_t> Checkpoint() const;
  static std::unique_ptr<Engine> Restore(std::span<const uint8_t> bytes, std::string& error);

 private:
  // What the exchange keeps about a resting order beyond the book's entry,
  // indexed by the order's book slot.
  struct OrderMeta {
    uint32_t account = 0;
    uint32_t client_order_id = 0;
    int64_t reserved_quote = 0;  // buy orders: what is still reserved
    int64_t expiry_ns = 0;       // GTT: when it expires; 0 = never
    uint16_t leverage = 0;
    uint8_t stp = 0;
  };

  struct Loan {
    uint64_t order_id = 0;
    uint32_t account = 0;
    Side side = Side::kBuy;  // buy: long (quote borrowed), sell: short (base)
    int64_t amount = 0;      // borrowed: quote units (long) or lots (short)
    int64_t collateral = 0;  // locked: lots (long) or quote units (short)
  };

  struct Book {
    explicit Book(const BookConfig& book_config);

    BookConfig config;
    OrderBook book;
    FeePolicy fees;
    std::vector<OrderMeta> meta;  // by book slot
    // Order ids count from 1 per book (cancels name the book and the id).
    uint64_t next_order_id = 1;
    int64_t price_unit;   // wire units per tick
    int64_t volume_unit;  // wire units per lot
    int64_t max_fee_rate;
    int64_t fee_sink = 0;
    int64_t base_lent = 0;
    int64_t quote_lent = 0;
    int64_t base_written_off = 0;
    int64_t quote_written_off = 0;
    int64_t base_deposited = 0;
    int64_t quote_deposited = 0;
  };

  // An order being matched: what the visitor needs besides the book.
  struct Taker;

  void Deliver(const Message& message);
  void Place(const Instruction& in);
  // Runs an order past validation: matching, settlement, remainder.
  void Execute(Book& book, uint32_t account_index, const Instruction& in, Side side,
               int64_t limit_ticks, int64_t lots, int64_t quote_budget);
  void Cancel(const Instruction& in);
  void ClosePosition(const Instruction& in);
  void Expire(const Instruction& in);
  void CheckMargins();
  // Trades a loan's collateral back, repays the lender, writes off the rest.
  void Unwind(uint32_t book_id, size_t loan_index, CancelReason reason);

  // Releases the reservation behind `lots` of the resting order in `slot`
  // and records their cancellation; the caller takes them off the book.
  void ReleaseCancelled(Book& book, uint32_t book_id, uint32_t slot, int64_t lots,
                        CancelReason reason);
  // Releases the reservation behind `lots` of a limit taker's quantity.
  // Returns, for a sell, how many of those lots were the account's own.
  int64_t ReleaseTakerLots(Book& book, Taker& taker, int64_t lots);
  // Moves a limit buy's reservation for `before - after` lots back to free.
  void ReleaseBuy(const Book& book, Account& account, int64_t& reserved_quote,
                  int64_t limit_ticks, int64_t before, int64_t after, uint16_t leverage);
  // Settles one side of a fill: `own_lots` of a sell come from the account
  // (reserved or free), the rest is borrowed; a leveraged buy borrows quote.
  void SettleSide(Book& book, uint32_t account_index, Side side, uint64_t order_id,
                  uint16_t leverage, int64_t lots, int64_t own_lots, bool from_reserved,
                  int64_t notional, int64_t fee);
  void AddLoan(uint64_t order_id, uint32_t account_index, Side side, int64_t amount,
               int64_t collateral);
  // Quote reserved for a buy of `lots` at `limit_ticks` and `leverage`.
  int64_t BuyReservation(const Book& book, int64_t limit_ticks, int64_t lots,
                         uint16_t leverage) const;
  // Base lots the account puts up for a sell of `lots` at `leverage`.
  static int64_t OwnLots(int64_t lots, uint16_t leverage);
  void SettleFill(Book& book, uint32_t book_id, Taker& taker, const OrderBook::Order& maker,
                  uint32_t maker_slot, int64_t lots);
  void Reject(const Instruction& in, RejectCode code);
  void Notice(Record record, int32_t recipient);
  std::optional<uint32_t> AccountIndex(int32_t agent_id, uint32_t book_id) const;
  static uint64_t AccountKey(int32_t agent_id, uint32_t book_id) {
    return (uint64_t{static_cast<uint32_t>(agent_id)} << 32) | book_id;
  }

  std::vector<Book> books_;
  std::vector<Account> accounts_;
  std::unordered_map<uint64_t, uint32_t> account_index_;
  std::vector<Loan> loans_;
  Scheduler scheduler_;
  int64_t now_ns_ = 0;
  std::vector<Record> events_;
  std::vector<Record> notices_;
  size_t events_read_ = 0;
  size_t notices_read_ = 0;
  bool background_notices_ = true;
  uint64_t delivered_messages_ = 0;
};

}  // namespace mf

#endif  // MARKETFORGE_EXCHANGE_ENGINE_H_
