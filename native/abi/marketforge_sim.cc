#include "abi/marketforge_sim.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "abi/internal/abi_util.h"
#include "sim/sim_params.h"
#include "sim/simulation.h"

struct mf_sim {
  std::unique_ptr<mf::sim::Simulation> simulation;
  std::vector<uint8_t> checkpoint;  // built by checkpoint_begin, taken by checkpoint_read
};

using mf::abi::CopyError;
using mf::abi::Guarded;
using mf::abi::ReadRecords;

extern "C" {

uint32_t mf_sim_param_count(void) {
  return static_cast<uint32_t>(mf::sim::ParamTable().size());
}

const char* mf_sim_param_name(uint32_t index) {
  const auto table = mf::sim::ParamTable();
  return index < table.size() ? table[index].name : nullptr;
}

const char* mf_sim_param_doc(uint32_t index) {
  const auto table = mf::sim::ParamTable();
  return index < table.size() ? table[index].doc : nullptr;
}

int32_t mf_sim_param_limits(uint32_t index, double* limits) {
  if (limits == nullptr) return MF_ERR_NULL_ARGUMENT;
  const auto table = mf::sim::ParamTable();
  if (index >= table.size()) return MF_ERR_NOT_FOUND;
  const mf::sim::ParamInfo& info = table[index];
  limits[0] = info.default_value;
  limits[1] = info.min;
  limits[2] = info.max;
  limits[3] = info.kind == mf::sim::ParamKind::kInteger ? 1 : 0;
  return MF_OK;
}

mf_sim* mf_sim_create(const double* values, uint32_t count, int32_t* status, char* error,
                      uint32_t error_capacity) {
  int32_t ignored = 0;
  int32_t& result = status != nullptr ? *status : ignored;
  if (values == nullptr && count > 0) {
    result = MF_ERR_NULL_ARGUMENT;
    return nullptr;
  }
  mf_sim* created = nullptr;
  result = Guarded([&] {
    mf::sim::SimParams params;
    std::string why = mf::sim::FromValues(std::span(values, count), params);
    if (why.empty()) {
      auto simulation = mf::sim::Simulation::Create(params, why);
      if (simulation) {
        created = new mf_sim{std::move(simulation), {}};
        return MF_OK;
      }
    }
    CopyError(why, error, error_capacity);
    return MF_ERR_INVALID_ARGUMENT;
  });
  return created;
}

void mf_sim_destroy(mf_sim* sim) { delete sim; }

uint32_t mf_sim_book_count(const mf_sim* sim) {
  return sim == nullptr ? 0 : sim->simulation->book_count();
}

int64_t mf_sim_now(const mf_sim* sim) { return sim == nullptr ? 0 : sim->simulation->now_ns(); }

int32_t mf_sim_step(mf_sim* sim, uint32_t seconds) {
  if (sim == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    for (uint32_t i = 0; i < seconds; ++i) sim->simulation->Step();
    return MF_OK;
  });
}

uint32_t mf_sim_pending_events(const mf_sim* sim) {
  return sim == nullptr ? 0 : static_cast<uint32_t>(sim->simulation->pending_events().size());
}

uint32_t mf_sim_pending_notices(const mf_sim* sim) {
  return sim == nullptr ? 0 : static_cast<uint32_t>(sim->simulation->pending_notices().size());
}

int32_t mf_sim_read_events(mf_sim* sim, void* out, uint32_t capacity, uint32_t* written) {
  if (sim == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  ReadRecords(sim->simulation->pending_events(), out, capacity, written);
  sim->simulation->ConsumeEvents(*written);
  return MF_OK;
}

int32_t mf_sim_read_notices(mf_sim* sim, void* out, uint32_t capacity, uint32_t* written) {
  if (sim == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  ReadRecords(sim->simulation->pending_notices(), out, capacity, written);
  sim->simulation->ConsumeNotices(*written);
  return MF_OK;
}

int32_t mf_sim_mids(const mf_sim* sim, double* out, uint32_t capacity) {
  if (sim == nullptr || out == nullptr) return MF_ERR_NULL_ARGUMENT;
  const auto mids = sim->simulation->mids();
  if (capacity < mids.size()) return MF_ERR_BUFFER_TOO_SMALL;
  std::memcpy(out, mids.data(), mids.size() * sizeof(double));
  return MF_OK;
}

int32_t mf_sim_fundamentals(const mf_sim* sim, double* out, uint32_t capacity) {
  if (sim == nullptr || out == nullptr) return MF_ERR_NULL_ARGUMENT;
  const uint32_t books = static_cast<uint32_t>(sim->simulation->mids().size());
  if (capacity < books) return MF_ERR_BUFFER_TOO_SMALL;
  sim->simulation->Fundamentals(std::span<double>(out, books));
  return MF_OK;
}

int32_t mf_sim_counters(const mf_sim* sim, uint64_t* out) {
  if (sim == nullptr || out == nullptr) return MF_ERR_NULL_ARGUMENT;
  out[0] = sim->simulation->wakeups();
  out[1] = sim->simulation->messages();
  out[2] = sim->simulation->fills();
  return MF_OK;
}

int32_t mf_sim_submit(mf_sim* sim, const void* instructions, uint32_t count, char* error,
                      uint32_t error_capacity) {
  if (sim == nullptr || (instructions == nullptr && count > 0)) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    // Checked first, queued after: a refused batch queues nothing.
    std::vector<mf::Instruction> batch(count);
    if (count > 0) std::memcpy(batch.data(), instructions, count * sizeof(mf::Instruction));
    for (uint32_t i = 0; i < count; ++i) {
      if (batch[i].book_id >= sim->simulation->book_count() || batch[i].agent_id < 0) {
        CopyError("instruction " + std::to_string(i) + ": " +
                      (batch[i].agent_id < 0 ? "agent_id: remote agents have ids of 0 or more"
                                             : "book_id: " + std::to_string(batch[i].book_id) +
                                                   " is not a book"),
                  error, error_capacity);
        return MF_ERR_INVALID_ARGUMENT;
      }
    }
    for (const mf::Instruction& instruction : batch) sim->simulation->Submit(instruction);
    return MF_OK;
  });
}

int32_t mf_sim_deposit(mf_sim* sim, int32_t agent_id, uint32_t book_id, int64_t base_lots,
                       int64_t quote_units, char* error, uint32_t error_capacity) {
  if (sim == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    const std::string why = sim->simulation->Deposit(agent_id, book_id, base_lots, quote_units);
    CopyError(why, error, error_capacity);
    return why.empty() ? MF_OK : MF_ERR_INVALID_ARGUMENT;
  });
}

int32_t mf_sim_reset_account(mf_sim* sim, int32_t agent_id, uint32_t book_id, int64_t base_lots,
                             int64_t quote_units, char* error, uint32_t error_capacity) {
  if (sim == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    const std::string why =
        sim->simulation->ResetAccount(agent_id, book_id, base_lots, quote_units);
    CopyError(why, error, error_capacity);
    return why.empty() ? MF_OK : MF_ERR_INVALID_ARGUMENT;
  });
}

int32_t mf_sim_book_ledger(const mf_sim* sim, uint32_t book_id, int64_t* fee_sink,
                           int64_t* maker_taker_ratio) {
  if (sim == nullptr || fee_sink == nullptr || maker_taker_ratio == nullptr) {
    return MF_ERR_NULL_ARGUMENT;
  }
  return sim->simulation->Ledger(book_id, *fee_sink, *maker_taker_ratio) ? MF_OK
                                                                          : MF_ERR_NOT_FOUND;
}

int32_t mf_sim_reset_agent(mf_sim* sim, int32_t agent_id, char* error, uint32_t error_capacity) {
  if (sim == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    const std::string why = sim->simulation->ResetAgent(agent_id);
    CopyError(why, error, error_capacity);
    return why.empty() ? MF_OK : MF_ERR_INVALID_ARGUMENT;
  });
}

int32_t mf_sim_set_external_price(mf_sim* sim, uint32_t book_id, double price) {
  if (sim == nullptr) return MF_ERR_NULL_ARGUMENT;
  return sim->simulation->SetExternalPrice(book_id, price).empty() ? MF_OK
                                                                   : MF_ERR_INVALID_ARGUMENT;
}

int32_t mf_sim_account(const mf_sim* sim, int32_t agent_id, uint32_t book_id, void* out) {
  if (sim == nullptr || out == nullptr) return MF_ERR_NULL_ARGUMENT;
  mf::AccountRecord record{};
  if (!sim->simulation->Snapshot(agent_id, book_id, record)) return MF_ERR_NOT_FOUND;
  std::memcpy(out, &record, sizeof record);
  return MF_OK;
}

int32_t mf_sim_accounts(const mf_sim* sim, void* out, uint32_t capacity, uint32_t* written) {
  if (sim == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  return Guarded([&] {
    const std::vector<mf::AccountRecord> records = sim->simulation->RemoteAccounts();
    *written = static_cast<uint32_t>(records.size());
    if (records.size() > capacity) return MF_ERR_BUFFER_TOO_SMALL;
    if (!records.empty()) std::memcpy(out, records.data(), records.size() * sizeof records[0]);
    return MF_OK;
  });
}

int32_t mf_sim_depth(const mf_sim* sim, uint32_t book_id, uint32_t max_levels,
                     uint32_t detailed_levels, void* out, uint32_t capacity, uint32_t* written) {
  if (sim == nullptr || written == nullptr || (out == nullptr && capacity > 0)) {
    return MF_ERR_NULL_ARGUMENT;
  }
  if (book_id >= sim->simulation->book_count()) return MF_ERR_NOT_FOUND;
  return Guarded([&] {
    const size_t needed = sim->simulation->WriteDepth(
        book_id, max_levels, detailed_levels,
        std::span(static_cast<uint8_t*>(out), out == nullptr ? 0 : capacity));
    *written = static_cast<uint32_t>(needed);
    return needed > capacity ? MF_ERR_BUFFER_TOO_SMALL : MF_OK;
  });
}

int32_t mf_sim_check(const mf_sim* sim, char* error, uint32_t error_capacity) {
  if (sim == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    const std::string why = sim->simulation->CheckInvariants();
    CopyError(why, error, error_capacity);
    return why.empty() ? MF_OK : MF_ERR_CORRUPT;
  });
}

int32_t mf_sim_checkpoint_begin(mf_sim* sim, uint32_t* size) {
  if (sim == nullptr || size == nullptr) return MF_ERR_NULL_ARGUMENT;
  return Guarded([&] {
    sim->checkpoint = sim->simulation->Checkpoint();
    if (sim->checkpoint.size() > UINT32_MAX) {
      sim->checkpoint.clear();
      return MF_ERR_BUFFER_TOO_SMALL;
    }
    *size = static_cast<uint32_t>(sim->checkpoint.size());
    return MF_OK;
  });
}

int32_t mf_sim_checkpoint_read(mf_sim* sim, void* out, uint32_t capacity) {
  if (sim == nullptr || out == nullptr) return MF_ERR_NULL_ARGUMENT;
  if (capacity < sim->checkpoint.size()) return MF_ERR_BUFFER_TOO_SMALL;
  std::memcpy(out, sim->checkpoint.data(), sim->checkpoint.size());
  std::vector<uint8_t>().swap(sim->checkpoint);
  return MF_OK;
}

mf_sim* mf_sim_restore(const void* bytes, uint32_t size, int32_t* status, char* error,
                       uint32_t error_capacity) {
  int32_t ignored = 0;
  int32_t& result = status != nullptr ? *status : ignored;
  if (bytes == nullptr && size > 0) {
    result = MF_ERR_NULL_ARGUMENT;
    return nullptr;
  }
  mf_sim* restored = nullptr;
  result = Guarded([&] {
    std::string why;
    auto simulation =
        mf::sim::Simulation::Restore(std::span(static_cast<const uint8_t*>(bytes), size), why);
    if (!simulation) {
      CopyError(why, error, error_capacity);
      return MF_ERR_CORRUPT;
    }
    restored = new mf_sim{std::move(simulation), {}};
    return MF_OK;
  });
  return restored;
}

}  // extern "C"
