// Why the exchange refused an instruction: τaos's OrderErrorCode names
// (shared/reference/taos.md §2.2) first, then the reasons this engine adds.
// Every code has a human-readable message (RejectMessage), exposed through
// the C ABI as mf_reject_message.
#ifndef MARKETFORGE_EXCHANGE_REJECT_CODE_H_
#define MARKETFORGE_EXCHANGE_REJECT_CODE_H_

#include <cstdint>

namespace mf {

enum class RejectCode : uint16_t {
  kNone = 0,
  // τaos OrderErrorCode.
  kNonexistentAccount = 1,
  kInsufficientBase = 2,
  kInsufficientQuote = 3,
  kEmptyBook = 4,
  kPriceIncrementViolated = 5,
  kVolumeIncrementViolated = 6,
  kExceedingLoan = 7,
  kContractViolation = 8,
  kInvalidLeverage = 9,
  kInvalidVolume = 10,
  kInvalidPrice = 11,
  kExceedingMaxOrders = 12,
  kDualPosition = 13,
  kMinimumOrderSizeViolation = 14,
  // Marketforge additions.
  kUnknownBook = 15,
  kInvalidInstruction = 16,
  kInvalidSide = 17,
  kPostOnlyWouldCross = 18,
  kUnknownOrder = 19,
  kNotOrderOwner = 20,
  kInvalidDelay = 21,
  kFillOrKillUnfillable = 22,
  kNoPosition = 23,
};

inline constexpr uint16_t kRejectCodeCount = 24;

// A static, sentence-case message for `code`, e.g. "order would cross the
// book but is post-only"; unknown codes get "unknown reject code".
const char* RejectMessage(uint16_t code);

}  // namespace mf

#endif  // MARKETFORGE_EXCHANGE_REJECT_CODE_H_
