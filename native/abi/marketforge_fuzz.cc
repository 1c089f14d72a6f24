#include "abi/marketforge_fuzz.h"

#include <cstring>
#include <vector>

#include "abi/marketforge.h"
#include "exchange/engine_test_util.h"

namespace mf::testing {

namespace {

constexpr uint32_t kBooks = 2;

// Reads the script; past its end every read is zero.
class Cursor {
 public:
  Cursor(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool done() const { return position_ >= size_; }
  uint8_t Byte() { return position_ < size_ ? data_[position_++] : 0; }
  void Bytes(void* out, size_t count) {
    auto* bytes = static_cast<uint8_t*>(out);
    for (size_t i = 0; i < count; ++i) bytes[i] = Byte();
  }
  int64_t I64() {
    int64_t value = 0;
    Bytes(&value, sizeof value);
    return value;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
};

uint64_t Fnv1a(const uint8_t* bytes, size_t size) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ull;
  return hash;
}

std::vector<uint8_t> CheckpointOf(mf_engine* engine) {
  uint32_t size = 0;
  mf_engine_checkpoint_size(engine, &size);
  std::vector<uint8_t> bytes(size);
  uint32_t written = 0;
  mf_engine_checkpoint_write(engine, bytes.data(), size, &written);
  return bytes;
}

// A mostly valid instruction with fields drawn from the script.
Instruction Structured(Cursor& cursor) {
  const uint8_t shape = cursor.Byte();
  const Side side = (shape & 1) != 0 ? Side::kSell : Side::kBuy;
  const int32_t agent = static_cast<int32_t>(cursor.Byte() % 6) - 1;
  const int64_t price = 90 + cursor.Byte() % 21;
  const int64_t lots = 1 + cursor.Byte() % 50;
  Instruction in = (shape >> 1) % 4 == 0 ? Market(agent, side, lots) : Limit(agent, side, price, lots);
  if ((shape >> 3) % 4 == 0) in = CancelOrder(agent, 1 + cursor.Byte() % 64, cursor.Byte() % 3);
  if ((shape >> 3) % 8 == 1) in.kind = static_cast<uint8_t>(InstructionKind::kClosePosition);
  const uint8_t options = cursor.Byte();
  in.time_in_force = options % 4;
  in.stp = (options >> 2) % 5;
  in.flags = (options >> 5) % 4;
  in.leverage = (options & 0x80) != 0 ? cursor.Byte() * 2 : 0;
  in.expiry_ns = cursor.Byte();
  in.delay_ns = cursor.Byte() % 16;
  in.book_id = cursor.Byte() % (kBooks + 1);
  in.max_slippage_bps = cursor.Byte() * 4;
  in.client_order_id = cursor.Byte();
  return in;
}

}  // namespace

std::string RunAbiScript(const uint8_t* data, size_t size) {
  Cursor cursor(data, size);
  BookConfig configs[kBooks] = {TestConfig(), TestConfig()};
  configs[1].fee_policy = static_cast<uint8_t>(FeePolicyKind::kDynamic);
  configs[1].taker_rate = 230'000;
  configs[1].max_maker_rate = 15'000'000;
  configs[1].max_taker_rate = 15'000'000;
  configs[1].target_mtr = 400'000'000;
  configs[1].history_slots = 8;
  configs[1].maker_rate = -50'000;
  mf_engine* engine = mf_engine_create(configs, kBooks, nullptr, nullptr, 0);
  for (uint32_t book = 0; book < kBooks; ++book) {
    for (int32_t agent = -1; agent <= 4; ++agent) {
      mf_engine_deposit(engine, agent, book, 5'000, 2'000'000);
    }
  }
  std::vector<uint8_t> buffer(4096);
  std::string broken;
  uint32_t written = 0;
  while (!cursor.done() && broken.empty()) {
    switch (cursor.Byte() % 10) {
      case 0:
        mf_engine_deposit(engine, static_cast<int8_t>(cursor.Byte()), cursor.Byte() % 3,
                          cursor.I64() >> (cursor.Byte() % 64), cursor.I64() >> (cursor.Byte() % 64));
        break;
      case 1: {
        Instruction raw;
        cursor.Bytes(&raw, sizeof raw);
        mf_engine_submit(engine, &raw, 1);
        break;
      }
      case 2:
      case 3: {
        const Instruction in = Structured(cursor);
        mf_engine_submit(engine, &in, 1);
        break;
      }
      case 4:
        if (cursor.Byte() == 0) {
          mf_engine_step(engine, cursor.I64());
        } else {
          mf_engine_step(engine, mf_engine_now(engine) + cursor.Byte());
        }
        if (mf_engine_check(engine, buffer.data() == nullptr ? nullptr : reinterpret_cast<char*>(buffer.data()),
                            static_cast<uint32_t>(buffer.size())) != MF_OK) {
          broken = reinterpret_cast<const char*>(buffer.data());
        }
        break;
      case 5:
        mf_engine_read_events(engine, buffer.data(), cursor.Byte() % 40, &written);
        mf_engine_read_notices(engine, buffer.data(), cursor.Byte() % 40, &written);
        break;
      case 6:
        mf_engine_depth(engine, cursor.Byte() % 3, cursor.Byte(), cursor.Byte(), buffer.data(),
                        cursor.Byte() * 16, &written);
        break;
      case 7: {
        AccountRecord account;
        mf_engine_account(engine, static_cast<int8_t>(cursor.Byte()), cursor.Byte() % 3, &account);
        mf_engine_accounts(engine, buffer.data(),
                           static_cast<uint32_t>(buffer.size() / sizeof(AccountRecord)), &written);
        int64_t fee_sink = 0;
        int64_t ratio = 0;
        mf_engine_book_ledger(engine, cursor.Byte() % 3, &fee_sink, &ratio);
        break;
      }
      case 8: {
        const std::vector<uint8_t> checkpoint = CheckpointOf(engine);
        mf_engine* restored = mf_engine_restore(checkpoint.data(),
                                                static_cast<uint32_t>(checkpoint.size()), nullptr,
                                                nullptr, 0);
        if (restored == nullptr || CheckpointOf(restored) != checkpoint) {
          broken = "a checkpoint did not restore to the same engine";
          mf_engine_destroy(restored);
          break;
        }
        mf_engine_destroy(engine);
        engine = restored;
        break;
      }
      case 9: {
        // A damaged checkpoint whose checksum is made to match, so the
        // parser and validation (not the checksum) must catch it.
        std::vector<uint8_t> checkpoint = CheckpointOf(engine);
        const size_t body = checkpoint.size() - 8;
        for (int flips = 1 + cursor.Byte() % 4; flips > 0; --flips) {
          const size_t at = (size_t{cursor.Byte()} << 8 | cursor.Byte()) % body;
          checkpoint[at] ^= static_cast<uint8_t>(1 + cursor.Byte() % 255);
        }
        if (cursor.Byte() % 2 == 0) checkpoint.resize(8 + cursor.Byte() % body);
        const size_t length = checkpoint.size() - 8;
        const uint64_t checksum = Fnv1a(checkpoint.data(), length);
        std::memcpy(checkpoint.data() + length, &checksum, sizeof checksum);
        int32_t status = 0;
        mf_engine* restored = mf_engine_restore(
            checkpoint.data(), static_cast<uint32_t>(checkpoint.size()), &status, nullptr, 0);
        if (restored != nullptr && mf_engine_check(restored, nullptr, 0) != MF_OK) {
          broken = "a restored checkpoint broke an invariant";
        }
        mf_engine_destroy(restored);
        break;
      }
    }
  }
  if (broken.empty() && mf_engine_check(engine, reinterpret_cast<char*>(buffer.data()),
                                        static_cast<uint32_t>(buffer.size())) != MF_OK) {
    broken = reinterpret_cast<const char*>(buffer.data());
  }
  mf_engine_destroy(engine);
  return broken;
}

}  // namespace mf::testing
