#include "sim/agents/population.h"

#include "sim/agents/algorithmic_traders.h"
#include "sim/agents/high_frequency_traders.h"
#include "sim/agents/initialization_agents.h"
#include "sim/agents/noise_traders.h"
#include "sim/agents/stylized_traders.h"

namespace mf::sim {

std::unique_ptr<Population> MakePopulation(PopulationKind kind, const SimParams& params,
                                           int32_t first_agent_id) {
  switch (kind) {
    case PopulationKind::kInitialization:
      return std::make_unique<InitializationAgents>(params, first_agent_id);
    case PopulationKind::kStylized:
      return std::make_unique<StylizedTraders>(params, first_agent_id);
    case PopulationKind::kHighFrequency:
      return std::make_unique<HighFrequencyTraders>(params, first_agent_id);
    case PopulationKind::kNoise:
      return std::make_unique<NoiseTraders>(params, first_agent_id);
    case PopulationKind::kAlgorithmic:
      return std::make_unique<AlgorithmicTraders>(params, first_agent_id);
  }
  return nullptr;
}

}  // namespace mf::sim
