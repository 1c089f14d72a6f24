#include "abi/marketforge.h"

#include "abi/internal/abi_util.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "exchange/engine.h"
#include "exchange/records.h"
#include "exchange/reject_code.h"

struct mf_engine {
  std::unique_ptr<mf::Engine> engine;
};

using mf::abi::CopyError;
using mf::abi::Guarded;
using mf::abi::ReadRecords;

extern "C" {

int32_t mf_abi_version(void) { return MF_ABI_VERSION; }
uint32_t mf_instruction_size(void) { return sizeof(mf::Instruction); }
uint32_t mf_record_size(void) { return sizeof(mf::Record); }
uint32_t mf_book_config_size(void) { return sizeof(mf::BookConfig); }
uint32_t mf_account_size(void) { return sizeof(mf::AccountRecord); }
uint32_t mf_depth_entry_size(void) { return sizeof(mf::DepthLevel); }

const char* mf_status_message(int32_t status) {
  switch (status) {
    case MF_OK:
      return "ok";
    case MF_ERR_NULL_ARGUMENT:
      return "a required pointer argument is null";
    case MF_ERR_OUT_OF_MEMORY:
      return "out of memory";
    case MF_ERR_INTERNAL:
      return "internal error";
    case MF_ERR_INVALID_ARGUMENT:
      return "invalid argument";
    case MF_ERR_NOT_FOUND:
      return "no such book or account";
    case MF_ERR_BUFFER_TOO_SMALL:
      return "buffer too small";
    case MF_ERR_CORRUPT:
      return "state or checkpoint is corrupt";
    default:
      return "unknown status";
  }
}

const char* mf_reject_message(uint32_t code) {
  return mf::RejectMessage(code > UINT16_MAX ? UINT16_MAX : static_cast<uint16_t>(code));
}

mf_engine* mf_engine_create(const void* configs, uint32_t book_count, int32_t* status,
                            char* error, uint32_t error_capacity) {
  int32_t ignored = 0;
  int32_t& result = status != nullptr ? *status : ignored;
  if (configs == nullptr || book_count == 0) {
    result = configs == nullptr ? MF_ERR_NULL_ARGUMENT : MF_ERR_INVALID_ARGUMENT;
    CopyError("an engine needs at least one book config", error, error_capacity);
    return nullptr;
  }
  mf_engine* created = nullptr;
  result = Guarded([&] {
    std::vector<mf::BookConfig> parsed(book_count);
    std::memcpy(parsed.data(), configs, book_count * sizeof(mf::BookConfig));
    for (uint32_t i = 0; i < book_count; ++i) {
      const std::string why = mf::Engine::ValidateConfig(parsed[i]);
      if (!why.empty()) {
        CopyError("book " + std::to_string(i) + ": " + why, error, error_capacity);
        return MF_ERR_INVALID_ARGUMENT;
      }
    }
    created = new mf_engine{std::make_unique<mf::Engine>(parsed)};
    return MF_OK;
  });
  return created;
}

void mf_engine_destroy(mf_engine* engine) { delete engine; }

uint32_t mf_engine_book_count(const mf_engine* engine) {
  return engine == nullptr ? 0 : static_cast<uint32_t>(engine->engine->book_count());
}

int64_t mf_engine_now(const mf_engine* engine) {
  return engine == nullptr ? 0 : engine->engine->now_ns();
}

int32_t mf_engine_deposit(mf_engine* engine, int32_t agent_id, uint32_t book_id,
                          int64_t base_lots, int64_t quote_units) {
  if (engine == nullptr) return MF_ERR_NULL_ARGUMENT;
  if (book_id >= engine->engine->book_count()) return MF_ERR_NOT_FOUND;
  return Guarded([&] {
    const std::string why = engine->engine->Deposit(agent_id, book_id, base_lots, quote_units);
    return why.empty() ? MF_OK : MF_ERR_INVALID_ARGUMENT;
  });
}

int32_t mf_engine_reset_account(mf_engine* engine, int32_t agent_id, uint32_t book_id,
                                int64_t base_lots, int64_t quote_units) {
  if (engine == nullptr) return MF_ERR_NULL_ARGUMENT;
  if (book_id >= engine->engine->book_count()) return MF_ERR_NOT_FOUND;
  return Guarded([&] {
    const std::string why =
        engine->engine->ResetAccount(agent_id, book_id, base_lots, quote_units);
    return why.empty() ? MF_OK : MF_ERR_INVALID_ARGUMENT;
  });
}

int32_t mf_engine_submit(mf_engine* engine, const void* instructions, uint32_t count) {
  if (engine == nullptr || (instructions == nullptr && count > 0)) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    const auto* bytes = static_cast<const unsigned char*>(instructions);
    for (uint32_t i = 0; i < count; ++i) {
      // memcpy: the caller's buffer need not be aligned for mf::Instruction.
      mf::Instruction instruction;
      std::memcpy(&instruction, bytes + size_t{i} * sizeof instruction, sizeof instruction);
      engine->engine->Submit(instruction);
    }
    return MF_OK;
  });
}

int32_t mf_engine_step(mf_engine* engine, int64_t until_ns) {
  if (engine == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    engine->engine->Step(until_ns);
    return MF_OK;
  });
}

uint32_t mf_engine_pending_events(const mf_engine* engine) {
  return engine == nullptr ? 0 : static_cast<uint32_t>(engine->engine->pending_events().size());
}

uint32_t mf_engine_pending_notices(const mf_engine* engine) {
  return engine == nullptr ? 0 : static_cast<uint32_t>(engine->engine->pending_notices().size());
}

int32_t mf_engine_read_events(mf_engine* engine, void* out, uint32_t capacity,
                              uint32_t* written) {
  if (engine == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  ReadRecords(engine->engine->pending_events(), out, capacity, written);
  engine->engine->ConsumeEvents(*written);
  return MF_OK;
}

int32_t mf_engine_read_notices(mf_engine* engine, void* out, uint32_t capacity,
                               uint32_t* written) {
  if (engine == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  ReadRecords(engine->engine->pending_notices(), out, capacity, written);
  engine->engine->ConsumeNotices(*written);
  return MF_OK;
}

int32_t mf_engine_depth(const mf_engine* engine, uint32_t book_id, uint32_t max_levels,
                        uint32_t detailed_levels, void* out, uint32_t capacity,
                        uint32_t* written) {
  if (engine == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  if (book_id >= engine->engine->book_count()) return MF_ERR_NOT_FOUND;
  return Guarded([&] {
    const size_t needed = engine->engine->WriteDepth(
        book_id, max_levels, detailed_levels,
        std::span(static_cast<uint8_t*>(out), out == nullptr ? 0 : capacity));
    *written = static_cast<uint32_t>(needed);
    return needed > capacity ? MF_ERR_BUFFER_TOO_SMALL : MF_OK;
  });
}

int32_t mf_engine_account(const mf_engine* engine, int32_t agent_id, uint32_t book_id,
                          void* out) {
  if (engine == nullptr || out == nullptr) return MF_ERR_NULL_ARGUMENT;
  const mf::Account* account = engine->engine->FindAccount(agent_id, book_id);
  if (account == nullptr) return MF_ERR_NOT_FOUND;
  const mf::AccountRecord record = engine->engine->Snapshot(*account);
  std::memcpy(out, &record, sizeof record);
  return MF_OK;
}

int32_t mf_engine_accounts(const mf_engine* engine, void* out, uint32_t capacity,
                           uint32_t* written) {
  if (engine == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  const std::vector<mf::Account>& accounts = engine->engine->accounts();
  *written = static_cast<uint32_t>(accounts.size());
  if (accounts.size() > capacity) return MF_ERR_BUFFER_TOO_SMALL;
  auto* bytes = static_cast<unsigned char*>(out);
  for (size_t i = 0; i < accounts.size(); ++i) {
    const mf::AccountRecord record = engine->engine->Snapshot(accounts[i]);
    std::memcpy(bytes + i * sizeof record, &record, sizeof record);
  }
  return MF_OK;
}

int32_t mf_engine_book_ledger(const mf_engine* engine, uint32_t book_id, int64_t* fee_sink,
                              int64_t* maker_taker_ratio) {
  if (engine == nullptr || fee_sink == nullptr || maker_taker_ratio == nullptr) {
    return MF_ERR_NULL_ARGUMENT;
  }
  if (book_id >= engine->engine->book_count()) return MF_ERR_NOT_FOUND;
  *fee_sink = engine->engine->fee_sink(book_id);
  *maker_taker_ratio = engine->engine->maker_taker_ratio(book_id);
  return MF_OK;
}

int32_t mf_engine_check(const mf_engine* engine, char* error, uint32_t error_capacity) {
  if (engine == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    const std::string why = engine->engine->CheckInvariants();
    CopyError(why, error, error_capacity);
    return why.empty() ? MF_OK : MF_ERR_CORRUPT;
  });
}

int32_t mf_engine_checkpoint_size(const mf_engine* engine, uint32_t* size) {
  if (engine == nullptr || size == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    *size = static_cast<uint32_t>(engine->engine->Checkpoint().size());
    return MF_OK;
  });
}

int32_t mf_engine_checkpoint_write(const mf_engine* engine, void* out, uint32_t capacity,
                                   uint32_t* written) {
  if (engine == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  return Guarded([&] {
    const std::vector<uint8_t> bytes = engine->engine->Checkpoint();
    *written = static_cast<uint32_t>(bytes.size());
    if (bytes.size() > capacity) return MF_ERR_BUFFER_TOO_SMALL;
    std::memcpy(out, bytes.data(), bytes.size());
    return MF_OK;
  });
}

mf_engine* mf_engine_restore(const void* bytes, uint32_t size, int32_t* status, char* error,
                             uint32_t error_capacity) {
  int32_t ignored = 0;
  int32_t& result = status != nullptr ? *status : ignored;
  if (bytes == nullptr && size > 0) {
    result = MF_ERR_NULL_ARGUMENT;
    return nullptr;
  }
  mf_engine* restored = nullptr;
  result = Guarded([&] {
    std::string why;
    std::unique_ptr<mf::Engine> engine =
        mf::Engine::Restore(std::span(static_cast<const uint8_t*>(bytes), size), why);
    if (engine == nullptr) {
      CopyError(why, error, error_capacity);
      return MF_ERR_CORRUPT;
    }
    restored = new mf_engine{std::move(engine)};
    return MF_OK;
  });
  return restored;
}

}  // extern "C"
