// τaos's StylizedTraderAgent (shared/reference/taos.md §2.5): the
// fundamentalist / chartist / noise traders of Chiarella, Iori & Perelló
// ("The impact of heterogeneous trading rules on the limit order book and
// order flows", JEDC 33 (2009) 525), with a CARA demand.
//
// Each trader draws weights F, C, N ~ |Laplace(σ, σ)| once. At a decision it
// forecasts the log return
//   r = clamp((F·ln(pf/p)/τF + C·r̄_h + N·ε) / (F + C + N), −1, 1),
// (pf the fundamental, r̄_h the mean one-second return over its history h,
// ε ~ N(0, σε)) and the price p̂ = p·e^{r·max(1, ln h)}. Its demand at a
// price P is the CARA position
//   x(P) = ln(p̂/P)·(b·P + q + c) / (R·V·P)
// (b, q its free base and quote, c the HARA constant, V the variance of
// returns over its horizon, R its risk aversion). The indifference price
// (x = b), the minimum price (buying x − b spends all of q) and the maximum
// price p̂ bound a uniform draw P: below the indifference price it bids
// x(P) − b, above it offers b − x(P). The solves are two convex scalar
// equations in z = ln(p̂/P): Newton converges monotonically in a few steps.
//
// Orders are GTT for the trader's horizon (τaos cancels them after it). When
// the variance is high they are made passive (τaos's volGuard post-only
// draw): a price that would cross slides to one tick inside the touch; the
// post-only flag itself is not sent, so a book that moves in flight
// executes the order instead of rejecting it. A price beyond the market by
// more than market_threshold may go as a market order instead.
//
// Decisions come from one log-ACD clock per book (τaos: per class and book;
// `chains` of them if configured): each wake-up decides for one trader and
// hands the next turn to a random one.
#ifndef MARKETFORGE_SIM_AGENTS_STYLIZED_TRADERS_H_
#define MARKETFORGE_SIM_AGENTS_STYLIZED_TRADERS_H_

#include <cstdint>
#include <vector>

#include "sim/agents/internal/acd_chains.h"
#include "sim/agents/internal/agent_support.h"
#include "sim/agents/population.h"

namespace mf::sim {

class StylizedTraders final : public Population {
 public:
  // A trader's traits, drawn at Start (τaos configure).
  struct Trader {
    double fundamental_weight;  // F / (F + C + N)
    double chartist_weight;     // C / (F + C + N)
    double noise_weight;        // N / (F + C + N)
    double risk_aversion;       // R
    double horizon_s;           // τ_i·max(1, ln h): variance horizon and order life
    double forecast_scale;      // max(1, ln h)
    uint32_t history_s;         // h, seconds of returns the chartist averages
  };

  StylizedTraders(const SimParams& params, int32_t first_agent_id);

  void Start(AgentContext& context, uint32_t local_book) override;
  void Wake(AgentContext& context, uint32_t local_book, uint32_t index) override;
  void Save(ByteWriter& out) const override;
  bool Load(ByteReader& in) override;

  const Trader& trader(uint32_t local_book, uint32_t index) const {
    return books_[local_book].traders[index];
  }

 private:
  struct BookState {
    bool started = false;
    std::vector<Trader> traders;
    std::vector<internal::AcdClock> chains;
    double variance_per_s = 0;  // EWMA of squared one-second returns
    uint64_t returns_seen = 0;
  };

  void Decide(AgentContext& context, uint32_t local_book, uint32_t index);
  void SubmitBuy(AgentContext& context, uint32_t local_book, uint32_t index,
                 const Account& account, const internal::Touch& touch, double price,
                 double sampled, double volume, bool passive, double life_s);
  void SubmitSell(AgentContext& context, uint32_t local_book, uint32_t index,
                  const Account& account, const internal::Touch& touch, double price,
                  double sampled, double volume, bool passive, double life_s);

  StylizedParams params_;
  double initial_price_;
  double initial_variance_per_s_;
  internal::AcdChains chains_;
  double variance_decay_;      // per one-second return
  double passive_slope_;       // volGuard logistic
  double passive_midpoint_;
  internal::BookGrid grid_;
  std::vector<BookState> books_;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_AGENTS_STYLIZED_TRADERS_H_
