// τaos's HighFrequencyTraderAgent (shared/reference/taos.md §2.5): market
// makers after Avellaneda & Stoikov ("High-frequency trading in a limit
// order book", Quant. Finance 8 (2008) 217) as Vuorenmaa & Wang adapt them
// to an agent-based book.
//
// Every requote period δ = δ_i / (1 + e^{|q| − ψ_i}) (quicker as the
// inventory q, in base since the start, passes the maker's threshold ψ_i) a
// maker quotes around the reservation price
//   r = mid − γ_i·q·σ²·(1 − t/T)
// with the optimal spread  s = γ_i·σ²·(1 − t/T) + (2/γ_i)·ln(1 + γ_i/κ),
// widened by the maker rate and floored at min_spread_ticks. Each side then
// moves out by a Rayleigh distance (τaos noiseRay, less a small quantile so
// it may step in) and, where the book leaves room, steps to undercut_ticks
// inside the touch without crossing r ± s/2. Quote sizes are log-normal and
// redrawn whenever the inventory changes sign.
//
// Instead of quoting, with probability
//   exp(−(relative spread / base)^exp) · exp(−(maker rate − rate max)²/(2·var)) · |q|/ψ_i
// it rebalances with a market order toward zero inventory (a tight book
// makes that cheap).
//
// Quotes are GTT for life_periods requote periods (τaos tau = 2), so they
// leave the book by themselves and the maker never cancels. The period is
// kept above feed + order latency so a maker's previous orders have always
// arrived before it decides again.
#ifndef MARKETFORGE_SIM_AGENTS_HIGH_FREQUENCY_TRADERS_H_
#define MARKETFORGE_SIM_AGENTS_HIGH_FREQUENCY_TRADERS_H_

#include <cstdint>
#include <vector>

#include "sim/agents/internal/agent_support.h"
#include "sim/agents/population.h"

namespace mf::sim {

class HighFrequencyTraders final : public Population {
 public:
  struct Maker {
    double gamma;          // γ_i ~ N(γ, γ sd)
    double requote_ns;     // δ_i
    double psi;            // ψ_i ~ N(ψ mean, ψ sd)
    double bid_size;       // base
    double ask_size;       // base
    double reservation_price;  // r at the last decision (quote)
    int64_t initial_base_lots;
    int32_t inventory_sign;  // sign of q when the sizes were drawn
  };

  HighFrequencyTraders(const SimParams& params, int32_t first_agent_id);

  void Start(AgentContext& context, uint32_t local_book) override;
  void Wake(AgentContext& context, uint32_t local_book, uint32_t index) override;
  void Save(ByteWriter& out) const override;
  bool Load(ByteReader& in) override;

  const Maker& maker(uint32_t local_book, uint32_t index) const {
    return books_[local_book].makers[index];
  }

 private:
  struct BookState {
    bool started = false;
    std::vector<Maker> makers;
  };

  void Quote(AgentContext& context, uint32_t local_book, uint32_t index, const Account& account,
             Maker& maker, double inventory, int64_t life_ns);
  int64_t OrderDelayNs(Random& random) const;

  HftParams params_;
  double initial_price_;
  int64_t duration_ns_;
  int64_t feed_latency_ns_;
  int64_t min_period_ns_;  // feed + longest order latency
  double rayleigh_shift_;  // noise_ray·√(−2 ln(1 − shift_percentile))
  internal::BookGrid grid_;
  std::vector<BookState> books_;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_AGENTS_HIGH_FREQUENCY_TRADERS_H_
