// τaos's ALGOTraderAgent (shared/reference/taos.md §2.5): an executor that
// works large meta orders toward the fundamental price.
//
// Every wake_s (plus feed latency) it reads the book and steps a GARCH-like
// variance on the mid's return since the last wake,
//   v' = ω + α·r² + β·v + γ·v_1s
// (v_1s the realised variance of one-second returns in between), its daily
// volatility being √(v·86 400/wake_s). While idle it starts executing
//  - at once, when the side it would take (buy if the fundamental is above
//    the last price) shows at least depth_trigger base in its top
//    trigger_levels levels: a market order for the whole touch;
//  - or with probability P_vol·P_cost·P_time·P_dist, where
//    P_vol = 1/(1 + e^{rate·(vol − midpoint)}) (calm markets),
//    P_cost is logistic in the depth slope over depth_levels levels,
//    P_time = min(1, time since its last start / activation_time) and
//    P_dist = min(1, deviation_coef·|pf − p|/p): a meta order of Rayleigh
//    (meta_scale) base.
// While executing it sends one market slice per wake: a log-normal size but
// at least the touch (τaos clear_touch), at most what is left and 99 % of
// its free balance, until no more than one base is left.
#ifndef MARKETFORGE_SIM_AGENTS_ALGORITHMIC_TRADERS_H_
#define MARKETFORGE_SIM_AGENTS_ALGORITHMIC_TRADERS_H_

#include <cstdint>
#include <vector>

#include "sim/agents/internal/agent_support.h"
#include "sim/agents/population.h"

namespace mf::sim {

class AlgorithmicTraders final : public Population {
 public:
  struct Trader {
    double variance;       // GARCH state, per wake period
    double last_mid;       // quote; 0 before the first wake
    int64_t remaining_lots;  // of the meta order being executed
    int64_t next_meta_lots;  // the next meta order's size, drawn ahead (τaos)
    int64_t started_ns;      // when the last meta order started; −1 = never
    uint64_t returns_seen;
    uint8_t executing;
    uint8_t side;  // Side of the meta order
  };

  AlgorithmicTraders(const SimParams& params, int32_t first_agent_id);

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
  };

  // One market slice of the meta order.
  void Execute(AgentContext& context, uint32_t local_book, uint32_t index, Trader& trader,
               const Account& account, const internal::Touch& touch, double last_price);
  double ActivationProbability(const Trader& trader, const OrderBook& book, Side side,
                               double daily_volatility, double deviation, int64_t now_ns) const;
  int64_t DrawMetaLots(Random& random) const;
  int64_t WakeDelayNs(Random& random) const;

  AlgoParams params_;
  double initial_price_;
  internal::BookGrid grid_;
  std::vector<BookState> books_;
};

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_AGENTS_ALGORITHMIC_TRADERS_H_
