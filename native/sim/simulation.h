// The whole background market (shared/reference/taos.md §2.1): books
// grouped into blocks of `books_per_block`, each block with its own
// exchange, processes and population, stepped one simulated second at a
// time on a thread pool. Global book id = block × books_per_block + local.
//
// Determinism: blocks share nothing and their seeds derive from the run's
// seed and the block index, and outputs are gathered in block order after
// every step, so a seed gives a byte-identical event log with 1 thread or
// many.
#ifndef MARKETFORGE_SIM_SIMULATION_H_
#define MARKETFORGE_SIM_SIMULATION_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/block.h"
#include "sim/sim_params.h"
#include "sim/thread_pool.h"

namespace mf::sim {

class Simulation {
 public:
  // Null (and why in `error`) when the parameters cannot make a market.
  static std::unique_ptr<Simulation> Create(const SimParams& params, std::string& error);

  const SimParams& params() const { return params_; }
  uint32_t book_count() const { return static_cast<uint32_t>(params_.simulation.books); }
  int64_t now_ns() const { return now_ns_; }

  // Runs one simulated second in every block.
  void Step();

  // Output not yet read, oldest first, global book ids: every L3 event, and
  // remote agents' notices.
  std::span<const Record> pending_events() const {
    return std::span<const Record>(events_).subspan(events_read_);
  }
  std::span<const Record> pending_notices() const {
    return std::span<const Record>(notices_).subspan(notices_read_);
  }
  void ConsumeEvents(size_t count);
  void ConsumeNotices(size_t count);
  // Each book's mid price at the end of the last step (NaN: a side empty).
  std::span<const double> mids() const { return mids_; }
  // Each book's fundamental price now, in book order into `out` (one per
  // book): what the mid should track, for realism checks and viewers.
  void Fundamentals(std::span<double> out) const;

  // Remote agents (global book ids). Submit queues an instruction to arrive
  // its delay after now; bad ones are rejected with a notice on arrival.
  std::string Submit(const Instruction& instruction);
  std::string ResetAgent(int32_t agent_id);
  // Opens (agent, book)'s account if needed and adds to it, for callers that
  // fund remote agents themselves (remote_agents = 0).
  std::string Deposit(int32_t agent_id, uint32_t book_id, int64_t base_lots, int64_t quote_units);
  // Engine::ResetAccount for a remote agent on one book; its cancellations
  // and unwinds join the pending events.
  std::string ResetAccount(int32_t agent_id, uint32_t book_id, int64_t base_lots,
                           int64_t quote_units);
  // A book's exchange ledger: fees collected and the dynamic maker-taker ratio.
  bool Ledger(uint32_t book_id, int64_t& fee_sink, int64_t& maker_taker_ratio) const;
  std::string SetExternalPrice(uint32_t book_id, double price);
  const Account* FindAccount(int32_t agent_id, uint32_t book_id) const;
  // Every remote agent's account as published (global book ids), block by
  // block in opening order. Background agents' accounts stay internal.
  std::vector<AccountRecord> RemoteAccounts() const;
  // The account as published (global book id); false when there is none.
  bool Snapshot(int32_t agent_id, uint32_t book_id, AccountRecord& out) const;
  size_t WriteDepth(uint32_t book_id, uint32_t max_levels, uint32_t detailed_levels,
                    std::span<uint8_t> out) const;
  std::string CheckInvariants() const;

  // Work done so far: agent wake-ups, exchange messages delivered, fills.
  uint64_t wakeups() const;
  uint64_t messages() const;
  uint64_t fills() const;

  // The whole simulation — settings, engines, agents, processes and random
  // streams — as bytes. Unread output is not included: drain it first.
  std::vector<uint8_t> Checkpoint() const;
  static std::unique_ptr<Simulation> Restore(std::span<const uint8_t> bytes, std::string& error);

 private:
  explicit Simulation(const SimParams& params);
  Block& BlockOf(uint32_t book_id, uint32_t& local_book);
  const Block& BlockOf(uint32_t book_id, uint32_t& local_book) const;
  void Gather();

  SimParams params_;
  std::vector<std::unique_ptr<Block>> blocks_;
  ThreadPool pool_;
  int64_t now_ns_ = 0;
  std::vector<Record> events_;
  std::vector<Record> notices_;
  size_t events_read_ = 0;
  size_t notices_read_ = 0;
  std::vector<double> mids_;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_SIMULATION_H_
