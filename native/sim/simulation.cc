#include "sim/simulation.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace mf::sim {
namespace {

// "MFSIMCK1" read as a little-endian word: the first bytes of a checkpoint.
constexpr uint64_t kMagic = 0x314B434D4953464DULL;

// Drops the read prefix of an output queue once it is most of the buffer.
void Compact(std::vector<Record>& records, size_t& read) {
  if (read == records.size()) {
    records.clear();
    read = 0;
  } else if (read > 4096 && read * 2 > records.size()) {
    records.erase(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(read));
    read = 0;
  }
}

}  // namespace

std::unique_ptr<Simulation> Simulation::Create(const SimParams& params, std::string& error) {
  const std::string book_error = Engine::ValidateConfig(SimulatedBookConfig(params.book));
  if (!book_error.empty()) {
    error = "book: " + book_error;
    return nullptr;
  }
  std::unique_ptr<Simulation> simulation(new Simulation(params));
  for (auto& block : simulation->blocks_) block->Start();
  simulation->Gather();
  return simulation;
}

Simulation::Simulation(const SimParams& params)
    : params_(params), pool_(static_cast<size_t>(params.simulation.threads)) {
  const auto books = static_cast<uint32_t>(params.simulation.books);
  const auto per_block = static_cast<uint32_t>(params.simulation.books_per_block);
  const auto seed = static_cast<uint64_t>(params.simulation.seed);
  for (uint32_t first = 0, index = 0; first < books; first += per_block, ++index) {
    blocks_.push_back(std::make_unique<Block>(params, first, std::min(per_block, books - first),
                                              DeriveSeed(seed, index)));
  }
  mids_.assign(books, std::numeric_limits<double>::quiet_NaN());
}

void Simulation::Step() {
  pool_.Run(blocks_.size(), [this](size_t index) { blocks_[index]->Step(); });
  now_ns_ += kStepNs;
  Gather();
}

void Simulation::Gather() {
  Compact(events_, events_read_);
  Compact(notices_, notices_read_);
  for (auto& block : blocks_) {
    events_.insert(events_.end(), block->events().begin(), block->events().end());
    block->events().clear();
    notices_.insert(notices_.end(), block->notices().begin(), block->notices().end());
    block->notices().clear();
    for (uint32_t b = 0; b < block->book_count(); ++b) mids_[block->first_book() + b] = block->mid(b);
  }
}

void Simulation::Fundamentals(std::span<double> out) const {
  for (const auto& block : blocks_) {
    for (uint32_t b = 0; b < block->book_count(); ++b) {
      out[block->first_book() + b] = block->fundamental_price(b);
    }
  }
}

void Simulation::ConsumeEvents(size_t count) {
  events_read_ += std::min(count, events_.size() - events_read_);
}

void Simulation::ConsumeNotices(size_t count) {
  notices_read_ += std::min(count, notices_.size() - notices_read_);
}

Block& Simulation::BlockOf(uint32_t book_id, uint32_t& local_book) {
  const auto per_block = static_cast<uint32_t>(params_.simulation.books_per_block);
  local_book = book_id % per_block;
  return *blocks_[book_id / per_block];
}

const Block& Simulation::BlockOf(uint32_t book_id, uint32_t& local_book) const {
  return const_cast<Simulation*>(this)->BlockOf(book_id, local_book);
}

std::string Simulation::Submit(const Instruction& instruction) {
  if (instruction.book_id >= book_count()) {
    return "book_id: " + std::to_string(instruction.book_id) + " is not a book (0 to " +
           std::to_string(book_count() - 1) + ")";
  }
  if (instruction.agent_id < 0) return "agent_id: remote agents have ids of 0 or more";
  Instruction local = instruction;
  BlockOf(instruction.book_id, local.book_id).engine().Submit(local);
  return "";
}

std::string Simulation::ResetAgent(int32_t agent_id) {
  for (auto& block : blocks_) {
    const std::string error = block->ResetRemoteAgent(agent_id);
    if (!error.empty()) return error;
  }
  Gather();
  return "";
}

std::string Simulation::Deposit(int32_t agent_id, uint32_t book_id, int64_t base_lots,
                                int64_t quote_units) {
  if (book_id >= book_count()) return "book_id: " + std::to_string(book_id) + " is not a book";
  if (agent_id < 0) return "agent_id: remote agents have ids of 0 or more";
  uint32_t local = 0;
  return BlockOf(book_id, local).engine().Deposit(agent_id, local, base_lots, quote_units);
}

std::string Simulation::ResetAccount(int32_t agent_id, uint32_t book_id, int64_t base_lots,
                                     int64_t quote_units) {
  if (book_id >= book_count()) return "book_id: " + std::to_string(book_id) + " is not a book";
  if (agent_id < 0) return "agent_id: remote agents have ids of 0 or more";
  uint32_t local = 0;
  const std::string error =
      BlockOf(book_id, local).ResetAccount(agent_id, local, base_lots, quote_units);
  if (error.empty()) Gather();
  return error;
}

bool Simulation::Ledger(uint32_t book_id, int64_t& fee_sink, int64_t& maker_taker_ratio) const {
  if (book_id >= book_count()) return false;
  uint32_t local = 0;
  const Engine& engine = BlockOf(book_id, local).engine();
  fee_sink = engine.fee_sink(local);
  maker_taker_ratio = engine.maker_taker_ratio(local);
  return true;
}

std::string Simulation::SetExternalPrice(uint32_t book_id, double price) {
  if (book_id >= book_count()) return "book_id: " + std::to_string(book_id) + " is not a book";
  if (!(price > 0) || !std::isfinite(price)) return "price: must be a positive number";
  uint32_t local = 0;
  BlockOf(book_id, local).SetExternalPrice(local, price);
  return "";
}

const Account* Simulation::FindAccount(int32_t agent_id, uint32_t book_id) const {
  if (book_id >= book_count()) return nullptr;
  uint32_t local = 0;
  return BlockOf(book_id, local).engine().FindAccount(agent_id, local);
}

std::vector<AccountRecord> Simulation::RemoteAccounts() const {
  std::vector<AccountRecord> records;
  for (const auto& block : blocks_) {
    for (const Account& account : block->engine().accounts()) {
      if (account.agent_id < 0) continue;
      records.push_back(block->engine().Snapshot(account));
      records.back().book_id += block->first_book();
    }
  }
  return records;
}

bool Simulation::Snapshot(int32_t agent_id, uint32_t book_id, AccountRecord& out) const {
  if (book_id >= book_count()) return false;
  uint32_t local = 0;
  const Engine& engine = BlockOf(book_id, local).engine();
  const Account* account = engine.FindAccount(agent_id, local);
  if (account == nullptr) return false;
  out = engine.Snapshot(*account);
  out.book_id = book_id;
  return true;
}

size_t Simulation::WriteDepth(uint32_t book_id, uint32_t max_levels, uint32_t detailed_levels,
                              std::span<uint8_t> out) const {
  uint32_t local = 0;
  const size_t size = BlockOf(book_id, local).engine().WriteDepth(local, max_levels,
                                                                  detailed_levels, out);
  // The header names the block's local book; give it the global id.
  if (size <= out.size() && size >= sizeof(DepthHeader)) std::memcpy(out.data(), &book_id, 4);
  return size;
}

std::string Simulation::CheckInvariants() const {
  for (const auto& block : blocks_) {
    const std::string error = block->engine().CheckInvariants();
    if (!error.empty()) return "block of book " + std::to_string(block->first_book()) + ": " + error;
  }
  return "";
}

uint64_t Simulation::wakeups() const {
  uint64_t total = 0;
  for (const auto& block : blocks_) total += block->wakeups();
  return total;
}

uint64_t Simulation::messages() const {
  uint64_t total = 0;
  for (const auto& block : blocks_) total += block->engine().delivered_messages();
  return total;
}

uint64_t Simulation::fills() const {
  uint64_t total = 0;
  for (const auto& block : blocks_) total += block->fills();
  return total;
}

std::vector<uint8_t> Simulation::Checkpoint() const {
  ByteWriter out;
  out.U64(kMagic);
  const std::vector<double> values = ToValues(params_);
  out.U32(static_cast<uint32_t>(values.size()));
  for (double value : values) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    out.U64(bits);
  }
  out.I64(now_ns_);
  for (const auto& block : blocks_) block->Save(out);
  return std::move(out.bytes());
}

std::unique_ptr<Simulation> Simulation::Restore(std::span<const uint8_t> bytes,
                                                std::string& error) {
  ByteReader in(bytes.data(), bytes.size());
  if (in.U64() != kMagic) {
    error = "not a simulation checkpoint";
    return nullptr;
  }
  const uint32_t count = in.U32();
  if (!in.ok() || count > in.remaining() / 8) {
    error = "truncated checkpoint";
    return nullptr;
  }
  std::vector<double> values(count);
  for (double& value : values) {
    const uint64_t bits = in.U64();
    std::memcpy(&value, &bits, sizeof value);
  }
  SimParams params;
  error = FromValues(values, params);
  if (!error.empty()) {
    error = "checkpoint settings: " + error;
    return nullptr;
  }
  const std::string book_error = Engine::ValidateConfig(SimulatedBookConfig(params.book));
  if (!book_error.empty()) {
    error = "book: " + book_error;
    return nullptr;
  }
  std::unique_ptr<Simulation> simulation(new Simulation(params));
  simulation->now_ns_ = in.I64();
  for (auto& block : simulation->blocks_) {
    if (!block->Load(in, error)) return nullptr;
  }
  if (!in.ok() || in.remaining() != 0) {
    error = "the checkpoint has trailing or missing bytes";
    return nullptr;
  }
  for (auto& block : simulation->blocks_) {
    for (uint32_t b = 0; b < block->book_count(); ++b) {
      simulation->mids_[block->first_book() + b] = block->mid(b);
    }
  }
  return simulation;
}

}  // namespace mf::sim
