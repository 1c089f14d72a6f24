// Engine state as data: account and depth snapshots, invariant checks, and
// checkpoint / restore.
#include <cstring>

#include "exchange/byte_stream.h"
#include "exchange/engine.h"
#include "exchange/wide_int.h"

namespace mf {

namespace {

constexpr uint32_t kCheckpointMagic = 0x4B43464D;  // "MFCK"
constexpr uint32_t kCheckpointVersion = 1;
// Bytes of the smallest saved order, account, loan and message, used to
// refuse counts the input cannot hold before allocating for them.
constexpr size_t kSavedOrderBytes = 50;
constexpr size_t kSavedAccountBytes = 104;
constexpr size_t kSavedLoanBytes = 29;
constexpr size_t kSavedMessageBytes = 17 + sizeof(Instruction);

// FNV-1a, 64-bit: catches truncation and bit flips in a checkpoint.
uint64_t Fnv1a(std::span<const uint8_t> bytes) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (const uint8_t byte : bytes) hash = (hash ^ byte) * 0x100000001b3ull;
  return hash;
}

void SaveBalance(ByteWriter& writer, const Balance& balance) {
  writer.I64(balance.free);
  writer.I64(balance.reserved);
}

Balance LoadBalance(ByteReader& reader) {
  Balance balance;
  balance.free = reader.I64();
  balance.reserved = reader.I64();
  return balance;
}

}  // namespace

AccountRecord Engine::Snapshot(const Account& account) const {
  const FeeRates rates = books_[account.book_id].fees.RatesFor(account.traded_volume());
  return AccountRecord{.agent_id = account.agent_id,
                       .book_id = account.book_id,
                       .base_total = account.base.total(),
                       .base_free = account.base.free,
                       .base_reserved = account.base.reserved,
                       .quote_total = account.quote.total(),
                       .quote_free = account.quote.free,
                       .quote_reserved = account.quote.reserved,
                       .base_loan = account.base_loan,
                       .quote_loan = account.quote_loan,
                       .base_collateral = account.base_collateral,
                       .quote_collateral = account.quote_collateral,
                       .fees_paid = account.fees_paid,
                       .maker_volume = account.maker_volume,
                       .taker_volume = account.taker_volume,
                       .maker_rate = rates.maker_rate,
                       .taker_rate = rates.taker_rate,
                       .open_orders = account.open_orders,
                       .open_loans = account.open_loans};
}

size_t Engine::WriteDepth(uint32_t book_id, uint32_t max_levels, uint32_t detailed_levels,
                          std::span<uint8_t> out) const {
  const Book& book = books_[book_id];
  const OrderBook& orders = book.book;
  DepthHeader header{.book_id = book_id,
                     .bid_levels = static_cast<uint32_t>(
                         std::min<size_t>(max_levels, orders.LevelCount(Side::kBuy))),
                     .ask_levels = static_cast<uint32_t>(
                         std::min<size_t>(max_levels, orders.LevelCount(Side::kSell))),
                     .order_count = 0,
                     .time_ns = now_ns_};
  std::vector<DepthLevel> levels;
  std::vector<DepthOrder> detail;
  for (const Side side : {Side::kBuy, Side::kSell}) {
    const uint32_t count = side == Side::kBuy ? header.bid_levels : header.ask_levels;
    for (uint32_t i = 0; i < count; ++i) {
      const OrderBook::Level& level = orders.LevelAt(side, i);
      DepthLevel out_level{level.price_ticks, level.total_lots,
                           static_cast<uint32_t>(detail.size()), 0};
      if (i < detailed_levels) {
        for (uint32_t slot = level.head; slot != OrderBook::kNoSlot;
             slot = orders.order(slot).next) {
          const OrderBook::Order& order = orders.order(slot);
          detail.push_back(DepthOrder{order.id, order.remaining_lots, order.agent_id,
                                      book.meta[slot].client_order_id});
        }
        out_level.order_count = static_cast<uint32_t>(detail.size()) - out_level.first_order;
      }
      levels.push_back(out_level);
    }
  }
  header.order_count = static_cast<uint32_t>(detail.size());
  const size_t needed = sizeof header + levels.size() * sizeof(DepthLevel) +
                        detail.size() * sizeof(DepthOrder);
  if (needed > out.size()) return needed;
  uint8_t* at = out.data();
  std::memcpy(at, &header, sizeof header);
  at += sizeof header;
  if (!levels.empty()) std::memcpy(at, levels.data(), levels.size() * sizeof(DepthLevel));
  at += levels.size() * sizeof(DepthLevel);
  if (!detail.empty()) std::memcpy(at, detail.data(), detail.size() * sizeof(DepthOrder));
  return needed;
}

std::string Engine::CheckInvariants() const {
  struct Expected {
    int64_t base_reserved = 0;
    int64_t quote_reserved = 0;
    uint32_t open_orders = 0;
    int64_t base_loan = 0;
    int64_t quote_loan = 0;
    int64_t base_collateral = 0;
    int64_t quote_collateral = 0;
    uint32_t open_loans = 0;
  };
  std::vector<Expected> expected(accounts_.size());
  for (uint32_t book_id = 0; book_id < books_.size(); ++book_id) {
    const Book& book = books_[book_id];
    const auto bid = book.book.BestPrice(Side::kBuy);
    const auto ask = book.book.BestPrice(Side::kSell);
    if (bid && ask && *bid >= *ask) {
      return "book " + std::to_string(book_id) + " is crossed: bid " + std::to_string(*bid) +
             " >= ask " + std::to_string(*ask);
    }
    for (const Side side : {Side::kBuy, Side::kSell}) {
      for (size_t i = 0; i < book.book.LevelCount(side); ++i) {
        const OrderBook::Level& level = book.book.LevelAt(side, i);
        int64_t level_lots = 0;
        for (uint32_t slot = level.head; slot != OrderBook::kNoSlot;
             slot = book.book.order(slot).next) {
          const OrderBook::Order& order = book.book.order(slot);
          const OrderMeta& meta = book.meta[slot];
          level_lots += order.remaining_lots;
          if (meta.account >= accounts_.size() ||
              accounts_[meta.account].agent_id != order.agent_id ||
              accounts_[meta.account].book_id != book_id || order.remaining_lots <= 0) {
            return "order " + std::to_string(order.id) + " does not match its account";
          }
          Expected& owner = expected[meta.account];
          ++owner.open_orders;
          if (side == Side::kBuy) {
            if (meta.reserved_quote != BuyReservation(book, order.price_ticks,
                                                      order.remaining_lots, meta.leverage)) {
              return "order " + std::to_string(order.id) + " has the wrong reservation";
            }
            owner.quote_reserved += meta.reserved_quote;
          } else {
            owner.base_reserved += OwnLots(order.remaining_lots, meta.leverage);
          }
        }
        if (level_lots != level.total_lots) {
          return "a level of book " + std::to_string(book_id) + " has the wrong total";
        }
      }
    }
  }
  for (const Loan& loan : loans_) {
    if (loan.account >= accounts_.size() || loan.amount < 0 || loan.collateral < 0) {
      return "loan of order " + std::to_string(loan.order_id) + " is malformed";
    }
    Expected& owner = expected[loan.account];
    ++owner.open_loans;
    (loan.side == Side::kBuy ? owner.quote_loan : owner.base_loan) += loan.amount;
    (loan.side == Side::kBuy ? owner.base_collateral : owner.quote_collateral) += loan.collateral;
  }
  std::vector<Int128> base_sum(books_.size());
  std::vector<Int128> quote_sum(books_.size());
  for (size_t i = 0; i < accounts_.size(); ++i) {
    const Account& account = accounts_[i];
    const Expected& want = expected[i];
    const std::string who = "account of agent " + std::to_string(account.agent_id) + " on book " +
                            std::to_string(account.book_id);
    for (const int64_t amount : {account.base.free, account.base.reserved, account.quote.free,
                                 account.quote.reserved, account.base_collateral,
                                 account.quote_collateral, account.base_loan,
                                 account.quote_loan}) {
      // No amount can exceed what a book can hold in deposits (2^62).
      if (amount < 0) return who + " has a negative balance";
      if (amount > kMaxDeposited) return who + " holds more than any book can";
    }
    if (account.maker_volume < 0 || account.maker_volume > kMaxDeposited ||
        account.taker_volume < 0 || account.taker_volume > kMaxDeposited ||
        account.fees_paid < -kMaxDeposited || account.fees_paid > kMaxDeposited) {
      return who + " has volumes or fees out of range";
    }
    if (account.base.reserved != want.base_reserved ||
        account.quote.reserved != want.quote_reserved || account.open_orders != want.open_orders) {
      return who + " reserves more or less than its orders need";
    }
    if (account.base_loan != want.base_loan || account.quote_loan != want.quote_loan ||
        account.base_collateral != want.base_collateral ||
        account.quote_collateral != want.quote_collateral || account.open_loans != want.open_loans) {
      return who + " disagrees with its loans";
    }
    base_sum[account.book_id] += account.base.total() + account.base_collateral;
    quote_sum[account.book_id] += account.quote.total() + account.quote_collateral;
  }
  for (size_t book_id = 0; book_id < books_.size(); ++book_id) {
    const Book& book = books_[book_id];
    if (base_sum[book_id] - book.base_lent - book.base_written_off != book.base_deposited ||
        quote_sum[book_id] + book.fee_sink - book.quote_lent - book.quote_written_off !=
            book.quote_deposited) {
      return "book " + std::to_string(book_id) + " does not conserve base and quote";
    }
  }
  return "";
}

std::vector<uint8_t> Engine::Checkpoint() const {
  ByteWriter writer;
  writer.U32(kCheckpointMagic);
  writer.U32(kCheckpointVersion);
  writer.U32(static_cast<uint32_t>(books_.size()));
  for (const Book& book : books_) writer.Bytes(&book.config, sizeof book.config);
  writer.I64(now_ns_);
  writer.U32(static_cast<uint32_t>(accounts_.size()));
  for (const Account& account : accounts_) {
    writer.I32(account.agent_id);
    writer.U32(account.book_id);
    SaveBalance(writer, account.base);
    SaveBalance(writer, account.quote);
    for (const int64_t value : {account.base_loan, account.quote_loan, account.base_collateral,
                                account.quote_collateral, account.fees_paid, account.maker_volume,
                                account.taker_volume}) {
      writer.I64(value);
    }
    writer.U32(account.open_orders);
    writer.U32(account.open_loans);
  }
  for (const Book& book : books_) {
    writer.U64(book.next_order_id);
    for (const int64_t value : {book.fee_sink, book.base_lent, book.quote_lent,
                                book.base_written_off, book.quote_written_off,
                                book.base_deposited, book.quote_deposited}) {
      writer.I64(value);
    }
    book.fees.Save(writer);
    writer.U32(static_cast<uint32_t>(book.book.RestingOrderCount()));
    // Best level first, oldest order first: replaying Rest in this order
    // rebuilds every queue exactly.
    for (const Side side : {Side::kBuy, Side::kSell}) {
      for (size_t i = 0; i < book.book.LevelCount(side); ++i) {
        const OrderBook::Level& level = book.book.LevelAt(side, i);
        for (uint32_t slot = level.head; slot != OrderBook::kNoSlot;
             slot = book.book.order(slot).next) {
          const OrderBook::Order& order = book.book.order(slot);
          const OrderMeta& meta = book.meta[slot];
          writer.U64(order.id);
          writer.I32(order.agent_id);
          writer.U8(static_cast<uint8_t>(order.side));
          writer.I64(order.price_ticks);
          writer.I64(order.remaining_lots);
          writer.U32(meta.account);
          writer.U32(meta.client_order_id);
          writer.I64(meta.expiry_ns);
          writer.U32(meta.leverage);
          writer.U8(meta.stp);
        }
      }
    }
  }
  writer.U32(static_cast<uint32_t>(loans_.size()));
  for (const Loan& loan : loans_) {
    writer.U64(loan.order_id);
    writer.U32(loan.account);
    writer.U8(static_cast<uint8_t>(loan.side));
    writer.I64(loan.amount);
    writer.I64(loan.collateral);
  }
  writer.U64(scheduler_.next_sequence());
  writer.U32(static_cast<uint32_t>(scheduler_.size()));
  for (const Message& message : scheduler_.messages()) {
    writer.I64(message.arrival_ns);
    writer.U64(message.sequence);
    writer.U8(static_cast<uint8_t>(message.internal));
    writer.Bytes(&message.instruction, sizeof message.instruction);
  }
  for (const std::span<const Record> records : {pending_events(), pending_notices()}) {
    writer.U32(static_cast<uint32_t>(records.size()));
    writer.Bytes(records.data(), records.size_bytes());
  }
  writer.U64(Fnv1a(writer.bytes()));
  return std::move(writer.bytes());
}

std::unique_ptr<Engine> Engine::Restore(std::span<const uint8_t> bytes, std::string& error) {
  if (bytes.size() < 20) {
    error = "checkpoint is too short";
    return nullptr;
  }
  ByteReader trailer(bytes.data() + bytes.size() - 8, 8);
  if (trailer.U64() != Fnv1a(bytes.first(bytes.size() - 8))) {
    error = "checkpoint checksum does not match its contents";
    return nullptr;
  }
  ByteReader reader(bytes.data(), bytes.size() - 8);
  if (reader.U32() != kCheckpointMagic) {
    error = "input is not a checkpoint";
    return nullptr;
  }
  if (const uint32_t version = reader.U32(); version != kCheckpointVersion) {
    error = "checkpoint version " + std::to_string(version) + " is not " +
            std::to_string(kCheckpointVersion);
    return nullptr;
  }
  const auto fail = [&](const std::string& why) -> std::unique_ptr<Engine> {
    error = "corrupt checkpoint: " + why;
    return nullptr;
  };
  const uint32_t book_count = reader.U32();
  if (book_count == 0 || book_count > reader.remaining() / sizeof(BookConfig)) {
    return fail("book count");
  }
  std::vector<BookConfig> configs(book_count);
  for (BookConfig& config : configs) {
    reader.Bytes(&config, sizeof config);
    if (const std::string why = ValidateConfig(config); !why.empty()) return fail(why);
  }
  auto engine = std::make_unique<Engine>(configs);
  engine->now_ns_ = reader.I64();
  const uint32_t account_count = reader.U32();
  if (account_count > reader.remaining() / kSavedAccountBytes) return fail("account count");
  engine->accounts_.resize(account_count);
  for (uint32_t i = 0; i < account_count; ++i) {
    Account& account = engine->accounts_[i];
    account.agent_id = reader.I32();
    account.book_id = reader.U32();
    account.base = LoadBalance(reader);
    account.quote = LoadBalance(reader);
    for (int64_t* value : {&account.base_loan, &account.quote_loan, &account.base_collateral,
                           &account.quote_collateral, &account.fees_paid, &account.maker_volume,
                           &account.taker_volume}) {
      *value = reader.I64();
    }
    account.open_orders = reader.U32();
    account.open_loans = reader.U32();
    if (account.book_id >= book_count ||
        !engine->account_index_.emplace(AccountKey(account.agent_id, account.book_id), i).second) {
      return fail("account " + std::to_string(i));
    }
  }
  for (uint32_t book_id = 0; book_id < book_count; ++book_id) {
    Book& book = engine->books_[book_id];
    book.next_order_id = reader.U64();
    for (int64_t* value : {&book.fee_sink, &book.base_lent, &book.quote_lent,
                           &book.base_written_off, &book.quote_written_off, &book.base_deposited,
                           &book.quote_deposited}) {
      *value = reader.I64();
    }
    if (!book.fees.Load(reader)) return fail("fee state of book " + std::to_string(book_id));
    const uint32_t order_count = reader.U32();
    if (order_count > reader.remaining() / kSavedOrderBytes) return fail("order count");
    for (uint32_t i = 0; i < order_count; ++i) {
      const uint64_t id = reader.U64();
      const int32_t agent_id = reader.I32();
      const uint8_t side = reader.U8();
      const int64_t price = reader.I64();
      const int64_t lots = reader.I64();
      OrderMeta meta;
      meta.account = reader.U32();
      meta.client_order_id = reader.U32();
      meta.expiry_ns = reader.I64();
      const uint32_t leverage = reader.U32();
      meta.stp = reader.U8();
      if (!reader.ok() || id == 0 || id >= book.next_order_id || side > 1 || price <= 0 ||
          price > kMaxTicks || lots <= 0 || lots > kMaxLots || leverage > book.config.max_leverage ||
          meta.account >= account_count || book.book.SlotOf(id) != OrderBook::kNoSlot ||
          book.book.WouldCross(static_cast<Side>(side), price)) {
        return fail("order " + std::to_string(id));
      }
      meta.leverage = static_cast<uint16_t>(leverage);
      if (side == 0) meta.reserved_quote = engine->BuyReservation(book, price, lots, meta.leverage);
      const uint32_t slot = book.book.Rest(id, agent_id, static_cast<Side>(side), price, lots);
      if (slot >= book.meta.size()) book.meta.resize(slot + 1);
      book.meta[slot] = meta;
    }
  }
  const uint32_t loan_count = reader.U32();
  if (loan_count > reader.remaining() / kSavedLoanBytes) return fail("loan count");
  for (uint32_t i = 0; i < loan_count; ++i) {
    Loan loan;
    loan.order_id = reader.U64();
    loan.account = reader.U32();
    const uint8_t side = reader.U8();
    loan.amount = reader.I64();
    loan.collateral = reader.I64();
    if (side > 1 || loan.account >= account_count) return fail("loan " + std::to_string(i));
    loan.side = static_cast<Side>(side);
    engine->loans_.push_back(loan);
  }
  const uint64_t next_sequence = reader.U64();
  const uint32_t message_count = reader.U32();
  if (message_count > reader.remaining() / kSavedMessageBytes) return fail("message count");
  std::vector<Message> messages(message_count);
  for (Message& message : messages) {
    message.arrival_ns = reader.I64();
    message.sequence = reader.U64();
    const uint8_t internal = reader.U8();
    reader.Bytes(&message.instruction, sizeof message.instruction);
    if (internal > static_cast<uint8_t>(InternalKind::kExpire) ||
        (internal != 0 && message.instruction.book_id >= book_count)) {
      return fail("queued message");
    }
    message.internal = static_cast<InternalKind>(internal);
  }
  if (!engine->scheduler_.Restore(std::move(messages), next_sequence)) return fail("queue order");
  for (std::vector<Record>* records : {&engine->events_, &engine->notices_}) {
    const uint32_t count = reader.U32();
    if (count > reader.remaining() / sizeof(Record)) return fail("record count");
    records->resize(count);
    reader.Bytes(records->data(), count * sizeof(Record));
  }
  if (!reader.ok() || reader.remaining() != 0) return fail("length");
  if (const std::string why = engine->CheckInvariants(); !why.empty()) return fail(why);
  return engine;
}

}  // namespace mf
