// Leverage: closing positions and margin calls (shared/reference/taos.md
// §2.2 margin; the model is described in engine.h).
#include <algorithm>
#include <limits>

#include "exchange/engine.h"
#include "exchange/wide_int.h"

namespace mf {

void Engine::ClosePosition(const Instruction& in) {
  if (in.book_id >= books_.size()) return Reject(in, RejectCode::kUnknownBook);
  const std::optional<uint32_t> account_index = AccountIndex(in.agent_id, in.book_id);
  if (!account_index) return Reject(in, RejectCode::kNonexistentAccount);
  // Loans close whole: a partial close would need a rule for which part of
  // the collateral pays which part of the loan, which τaos does not give.
  if (in.quantity != 0) return Reject(in, RejectCode::kContractViolation);
  const auto loan = std::find_if(loans_.begin(), loans_.end(), [&](const Loan& candidate) {
    return candidate.order_id == in.order_id && candidate.account == *account_index;
  });
  if (loan == loans_.end()) return Reject(in, RejectCode::kNoPosition);
  Unwind(in.book_id, static_cast<size_t>(loan - loans_.begin()), CancelReason::kRequested);
}

void Engine::CheckMargins() {
  // Collect first: unwinding trades, which may change the touch and the
  // loan list for the loans after it.
  std::vector<std::pair<uint64_t, uint32_t>> called;  // (order id, account)
  for (const Loan& loan : loans_) {
    const Account& account = accounts_[loan.account];
    const Book& book = books_[account.book_id];
    const Int128 margin = book.config.maintenance_margin;
    if (loan.side == Side::kBuy) {
      const std::optional<int64_t> bid = book.book.BestPrice(Side::kBuy);
      if (bid && static_cast<Int128>(*bid) * loan.collateral * (kRateScale - margin) <=
                     static_cast<Int128>(loan.amount) * kRateScale) {
        called.push_back({loan.order_id, loan.account});
      }
    } else {
      const std::optional<int64_t> ask = book.book.BestPrice(Side::kSell);
      if (ask && static_cast<Int128>(*ask) * loan.amount * (kRateScale + margin) >=
                     static_cast<Int128>(loan.collateral) * kRateScale) {
        called.push_back({loan.order_id, loan.account});
      }
    }
  }
  for (const std::pair<uint64_t, uint32_t>& key : called) {
    const auto loan = std::find_if(loans_.begin(), loans_.end(), [&](const Loan& candidate) {
      return candidate.order_id == key.first && candidate.account == key.second;
    });
    if (loan == loans_.end()) continue;
    Unwind(accounts_[loan->account].book_id, static_cast<size_t>(loan - loans_.begin()),
           CancelReason::kLiquidation);
  }
}

void Engine::Unwind(uint32_t book_id, size_t loan_index, CancelReason reason) {
  const Loan loan = loans_[loan_index];
  loans_.erase(loans_.begin() + static_cast<std::ptrdiff_t>(loan_index));
  Book& book = books_[book_id];
  const int32_t agent_id = accounts_[loan.account].agent_id;
  {
    Account& account = accounts_[loan.account];
    --account.open_loans;
    if (loan.side == Side::kBuy) {
      account.base_collateral -= loan.collateral;
      account.base.free += loan.collateral;
      account.quote_loan -= loan.amount;
    } else {
      account.quote_collateral -= loan.collateral;
      account.quote.free += loan.collateral;
      account.base_loan -= loan.amount;
    }
  }
  // Trade back with a market order: a long sells its collateral, a short
  // buys back what it borrowed (each capped by what the account holds).
  Instruction unwind{};
  unwind.kind = static_cast<uint8_t>(InstructionKind::kPlaceMarket);
  unwind.side = static_cast<uint8_t>(loan.side == Side::kBuy ? Side::kSell : Side::kBuy);
  unwind.book_id = book_id;
  unwind.agent_id = agent_id;
  const int64_t lots = loan.side == Side::kBuy ? loan.collateral : loan.amount;
  const Side side = static_cast<Side>(unwind.side);
  if (lots > 0 && book.book.BestPrice(Opposite(side))) {
    Execute(book, loan.account, unwind, side,
            side == Side::kBuy ? std::numeric_limits<int64_t>::max() : 0, lots, 0);
  }
  // Repay from what the account has; the lender writes off the rest.
  Account& account = accounts_[loan.account];
  Balance& balance = loan.side == Side::kBuy ? account.quote : account.base;
  const int64_t repaid = std::min(loan.amount, balance.free);
  balance.free -= repaid;
  if (loan.side == Side::kBuy) {
    book.quote_lent -= loan.amount;
    book.quote_written_off += loan.amount - repaid;
  } else {
    book.base_lent -= loan.amount;
    book.base_written_off += loan.amount - repaid;
  }
  Record closed{};
  closed.kind = static_cast<uint8_t>(RecordKind::kPositionClosed);
  closed.side = static_cast<uint8_t>(loan.side);
  closed.code = static_cast<uint16_t>(reason);
  closed.book_id = book_id;
  closed.time_ns = now_ns_;
  closed.order_id = loan.order_id;
  closed.agent_id = agent_id;
  closed.quantity_lots = lots;
  // records.h kPositionClosed: the fee fields carry the loan and the repayment.
  closed.taker_fee = loan.amount;
  closed.maker_fee = repaid;
  Notice(closed, agent_id);
}

}  // namespace mf
