#include "exchange/engine.h"

#include <algorithm>
#include <limits>

#include "exchange/wide_int.h"

namespace mf {

namespace {

constexpr int64_t kNoLimitBuy = std::numeric_limits<int64_t>::max();
constexpr int64_t kNoLimitSell = 0;
constexpr int64_t kBasisPoints = 10'000;

int64_t Pow10(int exponent) {
  int64_t value = 1;
  for (int i = 0; i < exponent; ++i) value *= 10;
  return value;
}

// The record of `lots` of an order leaving the book (or never resting).
struct CancelledOrder {
  uint64_t order_id;
  int32_t agent_id;
  uint32_t client_order_id;
  Side side;
  int64_t price_ticks;  // 0 for a market order
};

Record CancelRecord(uint32_t book_id, int64_t time_ns, const CancelledOrder& order, int64_t lots,
                    CancelReason reason) {
  Record record{};
  record.kind = static_cast<uint8_t>(RecordKind::kCancelled);
  record.side = static_cast<uint8_t>(order.side);
  record.code = static_cast<uint16_t>(reason);
  record.book_id = book_id;
  record.time_ns = time_ns;
  record.order_id = order.order_id;
  record.agent_id = order.agent_id;
  record.client_order_id = order.client_order_id;
  record.price_ticks = order.price_ticks;
  record.quantity_lots = lots;
  return record;
}

}  // namespace

// An order while it matches: its account, what it still holds reserved, and
// how matching ended.
struct Engine::Taker {
  uint64_t order_id;
  uint32_t account;
  const Instruction& instruction;
  Side side;
  int64_t limit_ticks;
  bool market;
  bool quote_sized;
  int64_t quote_budget;      // quote-sized market orders: notional still to trade
  int64_t backed_lots;       // lots still covered by the reservation
  int64_t reserved_quote;    // limit buys: quote still reserved
  int64_t self_trade_lots = 0;  // cancelled by self-trade prevention
  bool self_trade_stop = false;
};

Engine::Book::Book(const BookConfig& book_config)
    : config(book_config),
      fees(book_config),
      price_unit(Pow10(kWireDecimals - book_config.price_decimals)),
      volume_unit(Pow10(kWireDecimals - book_config.volume_decimals)),
      max_fee_rate(fees.MaxRate()) {}

std::string Engine::ValidateConfig(const BookConfig& config) {
  if (config.price_decimals > kWireDecimals || config.volume_decimals > kWireDecimals) {
    return "price and volume decimals must be at most 8";
  }
  if (config.min_order_lots < 0 || config.min_order_lots > kMaxLots) {
    return "minimum order size must be between 0 and 2^31 - 1 lots";
  }
  if (config.max_leverage > 100 * kLeverageScale) return "maximum leverage must be at most 100";
  if (config.max_loan < 0 || config.max_loan > kMaxBalance) {
    return "maximum loan must be between 0 and 2^52 quote units";
  }
  if (config.maintenance_margin < 0 || config.maintenance_margin >= kRateScale) {
    return "maintenance margin must be in [0, 1)";
  }
  return FeePolicy::Validate(config);
}

Engine::Engine(std::span<const BookConfig> configs) {
  books_.reserve(configs.size());
  for (const BookConfig& config : configs) books_.emplace_back(config);
}

std::string Engine::Deposit(int32_t agent_id, uint32_t book_id, int64_t base_lots,
                            int64_t quote_units) {
  if (book_id >= books_.size()) return "book does not exist";
  if (base_lots < 0 || quote_units < 0 || base_lots > kMaxBalance || quote_units > kMaxBalance) {
    return "deposits must be between 0 and 2^52";
  }
  std::optional<uint32_t> index = AccountIndex(agent_id, book_id);
  if (!index) {
    index = static_cast<uint32_t>(accounts_.size());
    Account account;
    account.agent_id = agent_id;
    account.book_id = book_id;
    accounts_.push_back(account);
    account_index_.emplace(AccountKey(agent_id, book_id), *index);
  }
  Account& account = accounts_[*index];
  Book& book = books_[book_id];
  if (account.base.total() + base_lots > kMaxBalance ||
      account.quote.total() + quote_units > kMaxBalance ||
      book.base_deposited > kMaxDeposited - base_lots ||
      book.quote_deposited > kMaxDeposited - quote_units) {
    return "a balance would exceed 2^52, or a book's deposits 2^62";
  }
  account.base.free += base_lots;
  account.quote.free += quote_units;
  book.base_deposited += base_lots;
  book.quote_deposited += quote_units;
  return "";
}

void Engine::Submit(const Instruction& instruction) {
  const int64_t delay = std::max<int64_t>(instruction.delay_ns, 0);
  const int64_t arrival = delay > std::numeric_limits<int64_t>::max() - now_ns_
                              ? std::numeric_limits<int64_t>::max()
                              : now_ns_ + delay;
  scheduler_.Push(arrival, InternalKind::kNone, instruction);
}

void Engine::Step(int64_t until_ns) {
  PrepareStep();
  Advance(until_ns);
}

void Engine::PrepareStep() {
  for (Book& book : books_) book.fees.Update();
  CheckMargins();
}

void Engine::Advance(int64_t until_ns) {
  while (scheduler_.HasBefore(until_ns)) Deliver(scheduler_.Pop());
  now_ns_ = std::max(now_ns_, until_ns);
}

std::string Engine::ResetAccount(int32_t agent_id, uint32_t book_id, int64_t base_lots,
                                 int64_t quote_units) {
  if (book_id >= books_.size()) return "book does not exist";
  if (base_lots < 0 || quote_units < 0 || base_lots > kMaxBalance || quote_units > kMaxBalance) {
    return "deposits must be between 0 and 2^52";
  }
  const std::optional<uint32_t> index = AccountIndex(agent_id, book_id);
  if (!index) return Deposit(agent_id, book_id, base_lots, quote_units);
  Book& book = books_[book_id];
  // A slot is live when the id table still maps its order's id to it (ids
  // are never reused within a book).
  for (uint32_t slot = 0; slot < book.book.SlotCount(); ++slot) {
    const OrderBook::Order& order = book.book.order(slot);
    if (book.meta[slot].account != *index || book.book.SlotOf(order.id) != slot) continue;
    const int64_t lots = order.remaining_lots;
    ReleaseCancelled(book, book_id, slot, lots, CancelReason::kRequested);
    book.book.Reduce(slot, lots);
  }
  for (size_t i = loans_.size(); i-- > 0;) {
    if (loans_[i].account == *index) Unwind(book_id, i, CancelReason::kRequested);
  }
  Account& account = accounts_[*index];
  book.base_deposited -= account.base.free;
  book.quote_deposited -= account.quote.free;
  account = Account{};
  account.agent_id = agent_id;
  account.book_id = book_id;
  return Deposit(agent_id, book_id, base_lots, quote_units);
}

void Engine::Deliver(const Message& message) {
  ++delivered_messages_;
  now_ns_ = std::max(now_ns_, message.arrival_ns);
  const Instruction& in = message.instruction;
  if (message.internal == InternalKind::kExpire) {
    Expire(in);
    return;
  }
  if (in.delay_ns < 0) {
    Reject(in, RejectCode::kInvalidDelay);
    return;
  }
  switch (static_cast<InstructionKind>(in.kind)) {
    case InstructionKind::kPlaceLimit:
    case InstructionKind::kPlaceMarket:
      Place(in);
      return;
    case InstructionKind::kCancel:
      Cancel(in);
      return;
    case InstructionKind::kClosePosition:
      ClosePosition(in);
      return;
  }
  Reject(in, RejectCode::kInvalidInstruction);
}

void Engine::Place(const Instruction& in) {
  const bool market = static_cast<InstructionKind>(in.kind) == InstructionKind::kPlaceMarket;
  if (in.book_id >= books_.size()) return Reject(in, RejectCode::kUnknownBook);
  Book& book = books_[in.book_id];
  const std::optional<uint32_t> account_index = AccountIndex(in.agent_id, in.book_id);
  if (!account_index) return Reject(in, RejectCode::kNonexistentAccount);
  const Account& account = accounts_[*account_index];
  if (in.side > 1) return Reject(in, RejectCode::kInvalidSide);
  const Side side = static_cast<Side>(in.side);
  const auto tif = static_cast<TimeInForce>(in.time_in_force);
  const bool post_only = (in.flags & kFlagPostOnly) != 0;
  const bool quote_sized = (in.flags & kFlagQuantityInQuote) != 0;
  if (in.stp > static_cast<uint8_t>(SelfTradePrevention::kDecreaseAndCancel) ||
      in.time_in_force > static_cast<uint8_t>(TimeInForce::kFok) ||
      (in.flags & ~(kFlagPostOnly | kFlagQuantityInQuote)) != 0) {
    return Reject(in, RejectCode::kInvalidInstruction);
  }
  // τaos §3.6: IOC and FOK cannot be post-only; GTT needs an expiry; market
  // orders have no price, TIF or post-only; only market orders are sized in quote.
  if ((post_only && (market || tif == TimeInForce::kIoc || tif == TimeInForce::kFok)) ||
      (quote_sized && !market) || (market && tif != TimeInForce::kGtc) ||
      (tif == TimeInForce::kGtt && in.expiry_ns <= 0)) {
    return Reject(in, RejectCode::kContractViolation);
  }
  if (in.quantity <= 0) return Reject(in, RejectCode::kInvalidVolume);
  int64_t lots = kMaxLots;
  int64_t quote_budget = 0;
  if (quote_sized) {
    // Wire quote (10^-8) → quote units (10^-(pd+vd)), rounded down.
    const int exponent = book.config.price_decimals + book.config.volume_decimals - kWireDecimals;
    const Int128 units = exponent >= 0 ? static_cast<Int128>(in.quantity) * Pow10(exponent)
                                         : in.quantity / Pow10(-exponent);
    if (units <= 0 || units > kMaxBalance) return Reject(in, RejectCode::kInvalidVolume);
    quote_budget = static_cast<int64_t>(units);
  } else {
    if (in.quantity % book.volume_unit != 0) {
      return Reject(in, RejectCode::kVolumeIncrementViolated);
    }
    lots = in.quantity / book.volume_unit;
    if (lots > kMaxLots) return Reject(in, RejectCode::kInvalidVolume);
    if (lots < std::max<int64_t>(book.config.min_order_lots, 1)) {
      return Reject(in, RejectCode::kMinimumOrderSizeViolation);
    }
  }
  int64_t limit_ticks = side == Side::kBuy ? kNoLimitBuy : kNoLimitSell;
  if (!market) {
    if (in.price <= 0) return Reject(in, RejectCode::kInvalidPrice);
    if (in.price % book.price_unit != 0) return Reject(in, RejectCode::kPriceIncrementViolated);
    limit_ticks = in.price / book.price_unit;
    if (limit_ticks > kMaxTicks) return Reject(in, RejectCode::kInvalidPrice);
  }
  if (in.leverage > 0 && (market || in.leverage > book.config.max_leverage)) {
    return Reject(in, RejectCode::kInvalidLeverage);
  }
  const bool may_rest = !market && (tif == TimeInForce::kGtc || tif == TimeInForce::kGtt);
  if (may_rest && book.config.max_open_orders > 0 &&
      account.open_orders >= book.config.max_open_orders) {
    return Reject(in, RejectCode::kExceedingMaxOrders);
  }
  const std::optional<int64_t> touch = book.book.BestPrice(Opposite(side));
  if (market) {
    if (!touch) return Reject(in, RejectCode::kEmptyBook);
    if (in.max_slippage_bps > 0) {
      // The worst acceptable price relative to the touch on arrival.
      const Int128 scaled = static_cast<Int128>(*touch) *
                              (side == Side::kBuy ? kBasisPoints + in.max_slippage_bps
                                                  : kBasisPoints - std::min<int64_t>(
                                                                       in.max_slippage_bps,
                                                                       kBasisPoints));
      limit_ticks = side == Side::kBuy
                        ? static_cast<int64_t>(std::min<Int128>(scaled / kBasisPoints,
                                                                  kMaxTicks))
                        : static_cast<int64_t>((scaled + kBasisPoints - 1) / kBasisPoints);
    }
  }
  if (post_only && book.book.WouldCross(side, limit_ticks)) {
    return Reject(in, RejectCode::kPostOnlyWouldCross);
  }
  if (in.leverage > 0) {
    const bool opposite_loan = side == Side::kBuy ? account.base_loan > 0 : account.quote_loan > 0;
    if (opposite_loan) return Reject(in, RejectCode::kDualPosition);
    const Int128 notional = static_cast<Int128>(limit_ticks) * lots;
    const Int128 borrowed =
        side == Side::kBuy
            ? notional - notional * kLeverageScale / (kLeverageScale + in.leverage)
            : static_cast<Int128>(lots - OwnLots(lots, in.leverage)) * limit_ticks;
    const Int128 owed = static_cast<Int128>(account.quote_loan) +
                          static_cast<Int128>(account.base_loan) * limit_ticks;
    if (owed + borrowed > book.config.max_loan) return Reject(in, RejectCode::kExceedingLoan);
  }
  if (side == Side::kBuy) {
    const int64_t needed = market ? *touch : BuyReservation(book, limit_ticks, lots, in.leverage);
    if (account.quote.free < needed) return Reject(in, RejectCode::kInsufficientQuote);
  } else {
    const int64_t needed = quote_sized ? 1 : OwnLots(lots, in.leverage);
    if (account.base.free < needed) return Reject(in, RejectCode::kInsufficientBase);
  }
  if (tif == TimeInForce::kFok) {
    // Own orders never fill under self-trade prevention, and cancel-newest /
    // cancel-both stop the order at the first of them.
    const auto stp = static_cast<SelfTradePrevention>(in.stp);
    const bool stops = stp == SelfTradePrevention::kCancelNewest ||
                       stp == SelfTradePrevention::kCancelBoth;
    const int64_t fillable = book.book.CrossingLots(
        side, limit_ticks, lots,
        stp != SelfTradePrevention::kNone ? std::optional<int32_t>(in.agent_id) : std::nullopt,
        stops);
    if (fillable < lots) return Reject(in, RejectCode::kFillOrKillUnfillable);
  }
  Execute(book, *account_index, in, side, limit_ticks, quote_sized ? 0 : lots, quote_budget);
}

int64_t Engine::BuyReservation(const Book& book, int64_t limit_ticks, int64_t lots,
                               uint16_t leverage) const {
  const int64_t notional = limit_ticks * lots;
  const int64_t own = leverage == 0 ? notional
                                    : static_cast<int64_t>(static_cast<Int128>(notional) *
                                                           kLeverageScale /
                                                           (kLeverageScale + leverage));
  return own + FeeFor(notional, book.max_fee_rate);
}

int64_t Engine::OwnLots(int64_t lots, uint16_t leverage) {
  return leverage == 0 ? lots : lots * kLeverageScale / (kLeverageScale + leverage);
}

void Engine::Execute(Book& book, uint32_t account_index, const Instruction& in, Side side,
                     int64_t limit_ticks, int64_t lots, int64_t quote_budget) {
  const uint32_t book_id = in.book_id;
  const bool market = static_cast<InstructionKind>(in.kind) == InstructionKind::kPlaceMarket;
  const bool quote_sized = quote_budget > 0;
  Taker taker{.order_id = book.next_order_id++,
              .account = account_index,
              .instruction = in,
              .side = side,
              .limit_ticks = limit_ticks,
              .market = market,
              .quote_sized = quote_sized,
              .quote_budget = quote_budget,
              .backed_lots = market ? 0 : lots,
              .reserved_quote = 0};
  Account& account = accounts_[account_index];
  // Reserve what the order can cost: market orders pay from free balances
  // as they fill instead (capped by what is free).
  if (!market) {
    if (side == Side::kBuy) {
      taker.reserved_quote = BuyReservation(book, limit_ticks, lots, in.leverage);
      account.quote.free -= taker.reserved_quote;
      account.quote.reserved += taker.reserved_quote;
    } else {
      const int64_t own = OwnLots(lots, in.leverage);
      account.base.free -= own;
      account.base.reserved += own;
    }
  }

  Record accepted{};
  accepted.kind = static_cast<uint8_t>(RecordKind::kAccepted);
  accepted.side = in.side;
  accepted.book_id = book_id;
  accepted.time_ns = now_ns_;
  accepted.order_id = taker.order_id;
  accepted.agent_id = in.agent_id;
  accepted.client_order_id = in.client_order_id;
  accepted.price_ticks = market ? 0 : limit_ticks;
  accepted.quantity_lots = quote_sized ? 0 : lots;
  Notice(accepted, in.agent_id);
  const size_t placed_index = events_.size();
  Record placed = accepted;
  placed.kind = static_cast<uint8_t>(RecordKind::kOrderPlaced);
  events_.push_back(placed);

  const auto stp = static_cast<SelfTradePrevention>(in.stp);
  const int64_t remaining = book.book.Match(
      side, limit_ticks, quote_sized ? kMaxLots : lots,
      [&](const OrderBook::Order& maker, uint32_t maker_slot, int64_t taker_lots) {
        MatchDecision decision;
        if (maker.agent_id == in.agent_id && stp != SelfTradePrevention::kNone) {
          switch (stp) {
            case SelfTradePrevention::kCancelOldest:
              decision.maker_cancel_lots = maker.remaining_lots;
              break;
            case SelfTradePrevention::kCancelNewest:
              decision.taker_cancel_lots = taker_lots;
              decision.stop = true;
              break;
            case SelfTradePrevention::kCancelBoth:
              decision.maker_cancel_lots = maker.remaining_lots;
              decision.taker_cancel_lots = taker_lots;
              decision.stop = true;
              break;
            case SelfTradePrevention::kDecreaseAndCancel:
              decision.maker_cancel_lots = std::min<int64_t>(maker.remaining_lots, taker_lots);
              decision.taker_cancel_lots = decision.maker_cancel_lots;
              break;
            case SelfTradePrevention::kNone:
              break;
          }
          // A quote-sized order has no lot count to cancel: it just stops.
          if (quote_sized) decision.taker_cancel_lots = 0;
          taker.self_trade_lots += decision.taker_cancel_lots;
          if (decision.maker_cancel_lots > 0) {
            ReleaseCancelled(book, book_id, maker_slot, decision.maker_cancel_lots,
                             CancelReason::kSelfTrade);
          }
          if (!market && decision.taker_cancel_lots > 0) {
            // A sell's own lots go back to free (a buy's quote already has).
            const int64_t own = ReleaseTakerLots(book, taker, decision.taker_cancel_lots);
            Account& owner = accounts_[taker.account];
            owner.base.reserved -= own;
            owner.base.free += own;
          }
          taker.self_trade_stop = decision.stop;
          return decision;
        }
        int64_t fill = std::min<int64_t>(maker.remaining_lots, taker_lots);
        const Account& payer = accounts_[taker.account];
        if (quote_sized) fill = std::min(fill, taker.quote_budget / maker.price_ticks);
        if (market && side == Side::kSell) fill = std::min(fill, payer.base.free);
        if (market && side == Side::kBuy) {
          // The most lots the free quote pays for, fee included.
          const int64_t rate = book.fees.RatesFor(payer.traded_volume()).taker_rate;
          const auto cost = [&](int64_t n) {
            const int64_t notional = maker.price_ticks * n;
            return notional + FeeFor(notional, rate);
          };
          int64_t affordable = static_cast<int64_t>(
              static_cast<Int128>(payer.quote.free) * kRateScale /
              (static_cast<Int128>(maker.price_ticks) * (kRateScale + std::max<int64_t>(rate, 0))));
          affordable = std::min(affordable, fill);
          while (affordable < fill && cost(affordable + 1) <= payer.quote.free) ++affordable;
          while (affordable > 0 && cost(affordable) > payer.quote.free) --affordable;
          fill = affordable;
        }
        if (fill <= 0) {
          decision.stop = true;
          return decision;
        }
        SettleFill(book, book_id, taker, maker, maker_slot, fill);
        decision.fill_lots = fill;
        return decision;
      });

  const CancelledOrder self{taker.order_id, in.agent_id, in.client_order_id, side,
                            market ? 0 : limit_ticks};
  if (taker.self_trade_lots > 0) {
    const Record record =
        CancelRecord(book_id, now_ns_, self, taker.self_trade_lots, CancelReason::kSelfTrade);
    events_.push_back(record);
    Notice(record, in.agent_id);
  }
  const int64_t unfilled = quote_sized ? 0 : remaining;
  const bool rests = !market && unfilled > 0 && !taker.self_trade_stop &&
                     (static_cast<TimeInForce>(in.time_in_force) == TimeInForce::kGtc ||
                      static_cast<TimeInForce>(in.time_in_force) == TimeInForce::kGtt);
  events_[placed_index].quantity_lots = rests ? unfilled : 0;
  if (rests) {
    const uint32_t slot = book.book.Rest(taker.order_id, in.agent_id, side, limit_ticks, unfilled);
    if (slot >= book.meta.size()) book.meta.resize(slot + 1);
    const bool gtt = static_cast<TimeInForce>(in.time_in_force) == TimeInForce::kGtt;
    const int64_t expiry = gtt ? (in.expiry_ns > std::numeric_limits<int64_t>::max() - now_ns_
                                      ? std::numeric_limits<int64_t>::max()
                                      : now_ns_ + in.expiry_ns)
                               : 0;
    book.meta[slot] = OrderMeta{.account = account_index,
                                .client_order_id = in.client_order_id,
                                .reserved_quote = taker.reserved_quote,
                                .expiry_ns = expiry,
                                .leverage = in.leverage,
                                .stp = in.stp};
    ++accounts_[account_index].open_orders;
    if (gtt) {
      Instruction expire{};
      expire.book_id = book_id;
      expire.order_id = taker.order_id;
      scheduler_.Push(expiry, InternalKind::kExpire, expire);
    }
    return;
  }
  // Nothing rests: release what is still reserved and report the remainder.
  Account& owner = accounts_[account_index];
  if (!market) {
    if (side == Side::kBuy) {
      owner.quote.reserved -= taker.reserved_quote;
      owner.quote.free += taker.reserved_quote;
    } else {
      const int64_t own = OwnLots(taker.backed_lots, in.leverage);
      owner.base.reserved -= own;
      owner.base.free += own;
    }
  }
  if (unfilled > 0) {
    const Record record = CancelRecord(
        book_id, now_ns_, self, unfilled,
        taker.self_trade_stop ? CancelReason::kSelfTrade : CancelReason::kUnfilledRemainder);
    events_.push_back(record);
    Notice(record, in.agent_id);
  }
}

void Engine::ReleaseBuy(const Book& book, Account& account, int64_t& reserved_quote,
                        int64_t limit_ticks, int64_t before, int64_t after, uint16_t leverage) {
  // R(before) − R(after) ≥ cost of the lots at any price ≤ limit, because
  // floor(x + y) ≥ floor(x) + floor(y): reservations never run short.
  const int64_t released = after == 0 ? reserved_quote
                                      : BuyReservation(book, limit_ticks, before, leverage) -
                                            BuyReservation(book, limit_ticks, after, leverage);
  reserved_quote -= released;
  account.quote.reserved -= released;
  account.quote.free += released;
}

int64_t Engine::ReleaseTakerLots(Book& book, Taker& taker, int64_t lots) {
  Account& account = accounts_[taker.account];
  const int64_t before = taker.backed_lots;
  const int64_t after = before - lots;
  taker.backed_lots = after;
  const uint16_t leverage = taker.instruction.leverage;
  if (taker.side == Side::kBuy) {
    ReleaseBuy(book, account, taker.reserved_quote, taker.limit_ticks, before, after, leverage);
    return 0;
  }
  return OwnLots(before, leverage) - OwnLots(after, leverage);
}

void Engine::SettleSide(Book& book, uint32_t account_index, Side side, uint64_t order_id,
                        uint16_t leverage, int64_t lots, int64_t own_lots, bool from_reserved,
                        int64_t notional, int64_t fee) {
  Account& account = accounts_[account_index];
  if (side == Side::kBuy) {
    if (leverage == 0) {
      account.quote.free -= notional + fee;
      account.base.free += lots;
    } else {
      const int64_t own = static_cast<int64_t>(static_cast<Int128>(notional) * kLeverageScale /
                                               (kLeverageScale + leverage));
      const int64_t borrowed = notional - own;
      account.quote.free -= own + fee;
      account.quote_loan += borrowed;
      account.base_collateral += lots;
      book.quote_lent += borrowed;
      AddLoan(order_id, account_index, side, borrowed, lots);
    }
  } else {
    (from_reserved ? account.base.reserved : account.base.free) -= own_lots;
    const int64_t borrowed = lots - own_lots;
    if (leverage == 0) {
      account.quote.free += notional - fee;
    } else {
      account.base_loan += borrowed;
      account.quote_collateral += notional - fee;
      book.base_lent += borrowed;
      AddLoan(order_id, account_index, side, borrowed, notional - fee);
    }
  }
  account.fees_paid += fee;
  book.fee_sink += fee;
}

void Engine::AddLoan(uint64_t order_id, uint32_t account_index, Side side, int64_t amount,
                     int64_t collateral) {
  for (Loan& loan : loans_) {
    if (loan.order_id == order_id && loan.account == account_index) {
      loan.amount += amount;
      loan.collateral += collateral;
      return;
    }
  }
  loans_.push_back(Loan{order_id, account_index, side, amount, collateral});
  ++accounts_[account_index].open_loans;
}

void Engine::SettleFill(Book& book, uint32_t book_id, Taker& taker, const OrderBook::Order& maker,
                        uint32_t maker_slot, int64_t lots) {
  OrderMeta& maker_meta = book.meta[maker_slot];
  const int64_t notional = maker.price_ticks * lots;
  const int64_t taker_fee = FeeFor(
      notional, book.fees.RatesFor(accounts_[taker.account].traded_volume()).taker_rate);
  const int64_t maker_fee = FeeFor(
      notional, book.fees.RatesFor(accounts_[maker_meta.account].traded_volume()).maker_rate);
  const uint16_t taker_leverage = taker.instruction.leverage;

  // Taker.
  if (taker.market) {
    SettleSide(book, taker.account, taker.side, taker.order_id, taker_leverage, lots, lots,
               false, notional, taker_fee);
  } else {
    const int64_t own = ReleaseTakerLots(book, taker, lots);
    SettleSide(book, taker.account, taker.side, taker.order_id, taker_leverage, lots, own, true,
               notional, taker_fee);
  }
  if (taker.quote_sized) taker.quote_budget -= notional;

  // Maker.
  const int64_t before = maker.remaining_lots;
  const int64_t after = before - lots;
  Account& maker_account = accounts_[maker_meta.account];
  int64_t maker_own = 0;
  if (maker.side == Side::kBuy) {
    ReleaseBuy(book, maker_account, maker_meta.reserved_quote, maker.price_ticks, before, after,
               maker_meta.leverage);
  } else {
    maker_own = OwnLots(before, maker_meta.leverage) - OwnLots(after, maker_meta.leverage);
  }
  SettleSide(book, maker_meta.account, maker.side, maker.id, maker_meta.leverage, lots, maker_own,
             true, notional, maker_fee);
  if (after == 0) --maker_account.open_orders;

  accounts_[taker.account].taker_volume += notional;
  maker_account.maker_volume += notional;
  book.fees.RecordTrade(now_ns_, notional, maker.agent_id >= 0,
                        taker.instruction.agent_id >= 0);

  Record trade{};
  trade.kind = static_cast<uint8_t>(RecordKind::kTrade);
  trade.side = static_cast<uint8_t>(taker.side);
  trade.book_id = book_id;
  trade.time_ns = now_ns_;
  trade.order_id = taker.order_id;
  trade.agent_id = taker.instruction.agent_id;
  trade.client_order_id = taker.instruction.client_order_id;
  trade.price_ticks = maker.price_ticks;
  trade.quantity_lots = lots;
  trade.maker_order_id = maker.id;
  trade.maker_agent_id = maker.agent_id;
  trade.taker_fee = taker_fee;
  trade.maker_fee = maker_fee;
  events_.push_back(trade);
  Notice(trade, trade.agent_id);
  // The maker's notice carries the maker's own client order id.
  trade.client_order_id = maker_meta.client_order_id;
  Notice(trade, maker.agent_id);
}

void Engine::ReleaseCancelled(Book& book, uint32_t book_id, uint32_t slot, int64_t lots,
                              CancelReason reason) {
  const OrderBook::Order& order = book.book.order(slot);
  OrderMeta& meta = book.meta[slot];
  Account& account = accounts_[meta.account];
  const int64_t before = order.remaining_lots;
  const int64_t after = before - lots;
  if (order.side == Side::kBuy) {
    ReleaseBuy(book, account, meta.reserved_quote, order.price_ticks, before, after,
               meta.leverage);
  } else {
    const int64_t own = OwnLots(before, meta.leverage) - OwnLots(after, meta.leverage);
    account.base.reserved -= own;
    account.base.free += own;
  }
  if (after == 0) --account.open_orders;
  const Record record = CancelRecord(
      book_id, now_ns_,
      {order.id, order.agent_id, meta.client_order_id, order.side, order.price_ticks}, lots,
      reason);
  events_.push_back(record);
  Notice(record, order.agent_id);
}

void Engine::Cancel(const Instruction& in) {
  if (in.book_id >= books_.size()) return Reject(in, RejectCode::kUnknownBook);
  Book& book = books_[in.book_id];
  const uint32_t slot = book.book.SlotOf(in.order_id);
  if (slot == OrderBook::kNoSlot) return Reject(in, RejectCode::kUnknownOrder);
  const OrderBook::Order& order = book.book.order(slot);
  if (order.agent_id != in.agent_id) return Reject(in, RejectCode::kNotOrderOwner);
  if (in.quantity < 0) return Reject(in, RejectCode::kInvalidVolume);
  if (in.quantity % book.volume_unit != 0) {
    return Reject(in, RejectCode::kVolumeIncrementViolated);
  }
  const int64_t requested = in.quantity / book.volume_unit;
  const int64_t lots =
      requested == 0 ? order.remaining_lots : std::min<int64_t>(requested, order.remaining_lots);
  ReleaseCancelled(book, in.book_id, slot, lots, CancelReason::kRequested);
  book.book.Reduce(slot, lots);
}

void Engine::Expire(const Instruction& in) {
  Book& book = books_[in.book_id];
  const uint32_t slot = book.book.SlotOf(in.order_id);
  if (slot == OrderBook::kNoSlot) return;  // filled or cancelled before its expiry
  const int64_t lots = book.book.order(slot).remaining_lots;
  ReleaseCancelled(book, in.book_id, slot, lots, CancelReason::kExpired);
  book.book.Reduce(slot, lots);
}

void Engine::Reject(const Instruction& in, RejectCode code) {
  Record record{};
  record.kind = static_cast<uint8_t>(RecordKind::kRejected);
  record.side = in.side;
  record.code = static_cast<uint16_t>(code);
  record.book_id = in.book_id;
  record.time_ns = now_ns_;
  record.order_id = in.order_id;
  record.agent_id = in.agent_id;
  record.client_order_id = in.client_order_id;
  // Echo the instruction's own wire values: they may be off the grid.
  record.price_ticks = in.price;
  record.quantity_lots = in.quantity;
  Notice(record, in.agent_id);
}

void Engine::Notice(Record record, int32_t recipient) {
  if (recipient < 0 && !background_notices_) return;
  record.recipient_agent_id = recipient;
  notices_.push_back(record);
}

std::optional<uint32_t> Engine::AccountIndex(int32_t agent_id, uint32_t book_id) const {
  const auto found = account_index_.find(AccountKey(agent_id, book_id));
  if (found == account_index_.end()) return std::nullopt;
  return found->second;
}

const Account* Engine::FindAccount(int32_t agent_id, uint32_t book_id) const {
  const std::optional<uint32_t> index = AccountIndex(agent_id, book_id);
  return index ? &accounts_[*index] : nullptr;
}

std::span<const Record> Engine::pending_events() const {
  return std::span(events_).subspan(events_read_);
}

std::span<const Record> Engine::pending_notices() const {
  return std::span(notices_).subspan(notices_read_);
}

void Engine::ConsumeEvents(size_t count) {
  events_read_ = std::min(events_.size(), events_read_ + count);
  if (events_read_ == events_.size()) {
    events_.clear();
    events_read_ = 0;
  }
}

void Engine::ConsumeNotices(size_t count) {
  notices_read_ = std::min(notices_.size(), notices_read_ + count);
  if (notices_read_ == notices_.size()) {
    notices_.clear();
    notices_read_ = 0;
  }
}

}  // namespace mf
