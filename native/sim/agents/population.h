// One kind of background agent on one book: a contiguous array of agent
// states (no object per agent — 2.5 k agents × 1 000 books must stay cheap).
//
// Agent `index` of a population has the id `first_agent_id − index`
// (negative, as τaos's background agents) on every book of its block, with
// its own state and account per book (τaos: every background agent trades
// all books of its block with per-book state; capital is per book).
#ifndef MARKETFORGE_SIM_AGENTS_POPULATION_H_
#define MARKETFORGE_SIM_AGENTS_POPULATION_H_

#include <cstdint>
#include <memory>

#include "exchange/byte_stream.h"
#include "sim/agent_context.h"

namespace mf::sim {

// Population kinds, in the order a block creates them (ids are handed out
// in this order too).
enum class PopulationKind : uint8_t {
  kInitialization = 0,
  kStylized = 1,
  kHighFrequency = 2,
  kNoise = 3,
  kAlgorithmic = 4,
};
inline constexpr int kPopulationKinds = 5;

class Population {
 public:
  virtual ~Population() = default;

  // Agents in the population, the same on every book.
  uint32_t size() const { return size_; }
  // Agent `index`'s id on every book: first_agent_id − index (see above).
  int32_t agent_id(uint32_t index) const { return first_agent_id_ - static_cast<int32_t>(index); }

  // Opens the agents' accounts on `local_book` and schedules their first
  // wake-ups (or places their orders at once, as initialisation agents do).
  virtual void Start(AgentContext& context, uint32_t local_book) = 0;
  // Agent `index` wakes: reads the market, maybe submits, schedules its next
  // wake-up.
  virtual void Wake(AgentContext& context, uint32_t local_book, uint32_t index) = 0;

  // The states (not the parameters, which come from the config again).
  virtual void Save(ByteWriter& out) const = 0;
  virtual bool Load(ByteReader& in) = 0;

 protected:
  Population(int32_t first_agent_id, uint32_t size)
      : first_agent_id_(first_agent_id), size_(size) {}

 private:
  int32_t first_agent_id_;
  uint32_t size_;
};

// A population of `kind` sized from the config.
std::unique_ptr<Population> MakePopulation(PopulationKind kind, const SimParams& params,
                                           int32_t first_agent_id);

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_AGENTS_POPULATION_H_
