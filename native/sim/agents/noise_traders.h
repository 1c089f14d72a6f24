// τaos's NoiseTraderAgent (shared/reference/taos.md §2.5): herding traders
// steered by the book's magnetic field (sim/magnetic_field.h, a Bornholdt
// spin market).
//
// Trader i's sign is its cell's spin s_i and m the magnetisation. Its share
// of wealth in play is balance_coef·(1 + s_i·m)/2: large with the herd, small
// against it. When the spin agrees with the field (s_i·m > 0), with
// probability |m| it sends a market order of that share of its free quote
// (buy) or base (sell). Otherwise it places a limit order priced by a CARA
// model whose forecast leans with the field,
//   f = p·e^{σ + w·m},  x(P) = (ln(f/P) + σ)/(σ·P)
// (σ = sigma_exp, w = field_weight). Its indifference price (x = b) and
// minimum price (buying x − b spends all of q) are closed forms in Lambert's
// W; the price is a Beta draw on [minimum, f] whose mode sits below the
// indifference price for s_i > 0 (a bid, mostly) and above it for s_i < 0,
// pulled further by 1 − |m| against the field or |½ − |m|| with it. Limit
// sizes are the CARA demand capped at the share × a log-normal size drawn
// per trader (τaos 0.5.4: size ∝ balanceCoef·(1 + s·m)/2 × lognormal).
//
// Decisions come from a log-ACD clock per book whose ψ also responds to
// the field, ψ' = ω + α·ln d + β·ψ + γ·ln(1 − |m|): strong herding brings
// decisions closer together (volatility clusters with |m|). Each wake-up
// decides for one trader and hands the turn to a random one.
//
// τaos also writes each trader's action back into its lattice cell; the
// field here is read-only to agents, so that feedback is left out.
#ifndef MARKETFORGE_SIM_AGENTS_NOISE_TRADERS_H_
#define MARKETFORGE_SIM_AGENTS_NOISE_TRADERS_H_

#include <cstdint>
#include <vector>

#include "sim/agents/internal/acd_chains.h"
#include "sim/agents/internal/agent_support.h"
#include "sim/agents/population.h"

namespace mf::sim {

class NoiseTraders final : public Population {
 public:
  NoiseTraders(const SimParams& params, int32_t first_agent_id);

  void Start(AgentContext& context, uint32_t local_book) override;
  void Wake(AgentContext& context, uint32_t local_book, uint32_t index) override;
  void Save(ByteWriter& out) const override;
  bool Load(ByteReader& in) override;

 private:
  struct BookState {
    bool started = false;
    std::vector<double> size_base;  // per trader: the log-normal size
    std::vector<internal::AcdClock> chains;
  };

  void Decide(AgentContext& context, uint32_t local_book, uint32_t index);

  NoiseParams params_;
  double initial_price_;
  internal::AcdChains chains_;
  internal::BookGrid grid_;
  std::vector<BookState> books_;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_AGENTS_NOISE_TRADERS_H_
