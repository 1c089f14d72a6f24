// τaos's InitializationAgent (shared/reference/taos.md §2.5): seeds an empty
// book at the start so the first traders find a market.
//
// Each agent, at t = 0, spends its quote on bids with prices uniform in
// [0, p − tick) and sizes uniform in [0, q/(2p)] base, and its base on asks
// with prices uniform in [p + tick, 2p] and sizes uniform in [0, b/2], p
// the initial price, until the balance is used (or it would pass the
// exchange's open-order limit). The orders are GTT for life_s (τaos cancels
// them after tau = 24 h). The agents never wake again.
#ifndef MARKETFORGE_SIM_AGENTS_INITIALIZATION_AGENTS_H_
#define MARKETFORGE_SIM_AGENTS_INITIALIZATION_AGENTS_H_

#include <cstdint>
#include <vector>

#include "sim/agents/internal/agent_support.h"
#include "sim/agents/population.h"

namespace mf::sim {

class InitializationAgents final : public Population {
 public:
  InitializationAgents(const SimParams& params, int32_t first_agent_id);

  void Start(AgentContext& context, uint32_t local_book) override;
  void Wake(AgentContext&, uint32_t, uint32_t) override {}
  void Save(ByteWriter& out) const override;
  bool Load(ByteReader& in) override;

 private:
  void PlaceBids(AgentContext& context, uint32_t local_book, int32_t agent, int64_t quote_units);
  void PlaceAsks(AgentContext& context, uint32_t local_book, int32_t agent, int64_t base_lots);

  InitParams params_;
  double initial_price_;
  internal::BookGrid grid_;
  std::vector<uint8_t> started_;  // per local book
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_AGENTS_INITIALIZATION_AGENTS_H_
