// τaos's log-ACD wake-up chains, the clock stylized and noise traders decide
// on (stylized_traders.h, noise_traders.h): a population's agents are dealt
// round-robin into chains per book (PickInChain), each chain with its own
// log-ACD clock (AcdModel). A book's chains start at the stationary ψ with
// one wake-up each, for a random member, one feed latency after the start;
// every wake-up hands its chain's next turn to a random member after the
// chain's next duration.
//
// Both populations run their chains through this one type, so they draw in
// the same order (the member, then the latency or duration) and save the
// clocks the same way.
#ifndef MARKETFORGE_SIM_AGENTS_INTERNAL_ACD_CHAINS_H_
#define MARKETFORGE_SIM_AGENTS_INTERNAL_ACD_CHAINS_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "exchange/byte_stream.h"
#include "sim/agent_context.h"
#include "sim/agents/internal/agent_support.h"

namespace mf::sim::internal {

class AcdChains {
 public:
  // From a population's parameter group (StylizedParams, NoiseParams): its
  // agent count, its chains (at least one, at most one per agent), the
  // log-ACD ω, α and β, the wake-up bounds and the feed latency.
  template <typename Params>
  explicit AcdChains(const Params& params)
      : agents_(static_cast<uint32_t>(params.count)),
        count_(std::max<uint32_t>(1, std::min(static_cast<uint32_t>(params.chains), agents_))),
        feed_latency_ms_(params.feed_latency_ms),
        feed_latency_sd_ms_(params.feed_latency_sd_ms) {
    model_.omega = params.acd_omega;
    model_.alpha = params.acd_alpha;
    model_.beta = params.acd_beta;
    model_.min_ns = SecondsToNs(std::min(params.wake_min_s, params.wake_max_s));
    model_.max_ns = SecondsToNs(std::max(params.wake_min_s, params.wake_max_s));
  }

  // Chains per book.
  uint32_t count() const { return count_; }

  // Starts one book's chains: `clocks` at the stationary ψ and each chain's
  // first wake-up, for `population`'s agents on `local_book`.
  void Start(AgentContext& context, uint8_t population, uint32_t local_book,
             std::vector<AcdClock>& clocks) const {
    Random& random = context.random();
    clocks.assign(count_, StartAcd(model_));
    for (uint32_t chain = 0; chain < count_; ++chain) {
      const uint32_t first = PickInChain(random, chain, count_, agents_);
      context.WakeAfter(FeedLatencyNs(random, feed_latency_ms_, feed_latency_sd_ms_), population,
                        local_book, first);
    }
  }

  // Agent `index` woke: schedules its chain's next turn, `extra` added to
  // the clock's ψ (NextAcdDuration).
  void PassTurn(AgentContext& context, uint8_t population, uint32_t local_book, uint32_t index,
                double extra, std::vector<AcdClock>& clocks) const {
    Random& random = context.random();
    const uint32_t chain = index % count_;
    const uint32_t next = PickInChain(random, chain, count_, agents_);
    context.WakeAfter(NextAcdDuration(clocks[chain], model_, extra, random), population,
                      local_book, next);
  }

  // One book's clocks in a checkpoint (count() of them).
  void Save(ByteWriter& out, const std::vector<AcdClock>& clocks) const {
    for (const AcdClock& clock : clocks) PutAcd(out, clock);
  }
  void Load(ByteReader& in, std::vector<AcdClock>& clocks) const {
    clocks.resize(count_);
    for (AcdClock& clock : clocks) clock = GetAcd(in);
  }

 private:
  AcdModel model_;
  uint32_t agents_;
  uint32_t count_;
  double feed_latency_ms_;
  double feed_latency_sd_ms_;
};

}  // namespace mf::sim::internal

#endif  // MARKETFORGE_SIM_AGENTS_INTERNAL_ACD_CHAINS_H_
