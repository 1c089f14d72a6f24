// Every setting of the background market (shared/reference/taos.md §2.1,
// §2.4–2.6), with τaos's defaults (0.6.x values where 0.5.4 and 0.6.x
// differ), in one table.
//
// The table is the single source of truth: the C++ structs below are
// generated from it, the C ABI publishes it (mf_sim_param_*), and the
// server's JSON loader (engine/sim/sim_config.ts) reads names, defaults and
// limits from it, so a setting is added in exactly one place. Every value is
// a double on the wire; `kInteger` settings must hold whole numbers.
//
// Where we differ from τaos, and why: the stylized traders' variance V is
// that of one-second returns, as τaos's risk aversion expects (see
// stylized_traders.cc). With τaos's values otherwise (32 books × 6 h,
// seed 7), one noise-trader chain per book herds too rarely to cluster
// volatility (ACF(|r|) significant for 7–16 of 50 lags), and the
// fractional term of the fundamental (ε 0.07, H 0.729) carries its long
// memory into the mid's one-minute returns (11 of 49 later lags outside the
// noise band). More noise chains alone bring herding bubbles (p99 of
// |ln(mid/fundamental)| 13 % at 8 chains); a second stylized chain holds the
// mids to their fundamentals. Two stylized chains, twelve noise chains and
// ε 0.02 pass every gated check of tests/market_realism_test.ts with the
// mid within 0.12 % of the fundamental at the median minute (p99 4.8 %).
// config/sim/taos_0.6.json restores τaos's values.
//
// X(field, default, min, max, kind, doc)
#ifndef MARKETFORGE_SIM_SIM_PARAMS_H_
#define MARKETFORGE_SIM_SIM_PARAMS_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mf::sim {

enum class ParamKind : uint8_t { kReal = 0, kInteger = 1 };

// clang-format off
#define MF_SIMULATION_PARAMS(X)                                                                  \
  X(seed, 7, 0, 9007199254740991.0, kInteger, "seeds every random choice of the run")           \
  X(books, 16, 1, 4096, kInteger, "books in the whole simulation")                               \
  X(books_per_block, 16, 1, 256, kInteger, "books per block; blocks step in parallel (τaos 16)") \
  X(threads, 2, 1, 256, kInteger, "worker threads stepping blocks")                              \
  X(duration_s, 86400, 1, 2592000, kInteger, "simulated seconds in one run (τaos 24 h)")         \
  X(remote_agents, 0, 0, 4096, kInteger, "external agent (miner) slots, ids 0..n-1")

#define MF_BOOK_PARAMS(X)                                                                        \
  X(initial_price, 300, 0.01, 1000000, kReal, "starting price, quote per base (τaos 300)")       \
  X(price_decimals, 2, 0, 8, kInteger, "price grid decimals")                                    \
  X(volume_decimals, 4, 0, 8, kInteger, "quantity grid decimals")                                \
  X(min_order_size, 0.25, 0, 1000000, kReal, "smallest order, base (τaos 0.25)")                 \
  X(max_open_orders, 100, 0, 100000, kInteger, "resting orders per agent per book; 0 = any")

#define MF_FUNDAMENTAL_PARAMS(X)                                                                 \
  X(mu, 0, -10, 10, kReal, "drift per simulation duration")                                     \
  X(sigma, 0.0277, 0, 10, kReal, "GBM volatility per simulation duration")                      \
  X(lambda, 0.000206, 0, 1, kReal, "jump intensity per update")                                  \
  X(jump_mean, 0, -1, 1, kReal, "mean log jump")                                                 \
  X(jump_sigma, 0.025, 0, 1, kReal, "log jump standard deviation")                              \
  X(hurst, 0.729, 0.01, 0.99, kReal, "Hurst exponent of the fractional term")                   \
  X(epsilon, 0.02, 0, 10, kReal, "weight of the fractional term (τaos 0.07; see above)")                                \
  X(update_period_s, 30, 1, 86400, kInteger, "seconds between updates")                          \
  X(seed_interval_s, 30, 1, 86400, kInteger, "seconds between re-seeds from an external price")

#define MF_FIELD_PARAMS(X)                                                                       \
  X(rows, 32, 2, 256, kInteger, "the spin lattice is rows × rows")                               \
  X(alpha, 1.17, 0, 1000, kReal, "coupling to the global magnetisation")                        \
  X(beta, 0.445, 0, 1000, kReal, "inverse temperature")                                          \
  X(update_period_s, 60, 1, 86400, kInteger, "seconds between lattice sweeps")

#define MF_INIT_PARAMS(X)                                                                        \
  X(count, 500, 0, 100000, kInteger, "initialisation agents per book")                           \
  X(base, 100, 0, 1e12, kReal, "each one's base balance")                                        \
  X(quote, 30000, 0, 1e15, kReal, "each one's quote balance")                                    \
  X(life_s, 86400, 1, 2592000, kInteger, "their orders' lifetime (τaos tau)")

#define MF_STYLIZED_PARAMS(X)                                                                    \
  X(count, 1000, 0, 100000, kInteger, "Chiarella traders per book")                              \
  X(sigma_f, 1.4, 0, 100, kReal, "Laplace scale of the fundamentalist weight")                   \
  X(sigma_c, 1.9, 0, 100, kReal, "Laplace scale of the chartist weight")                         \
  X(sigma_n, 0.7, 0, 100, kReal, "Laplace scale of the noise weight")                            \
  X(tau_f, 1.4, 0.001, 1000000, kReal, "fundamental term ln(pf/p)/τF (τaos tauF)")               \
  X(tau_hist, 50, 1, 10000, kInteger, "chartist history length scale (returns)")                 \
  X(noise_sd, 0.002, 0, 1, kReal, "standard deviation of the noise forecast")                    \
  X(risk_aversion, 1630, 0, 1e9, kReal, "CARA risk aversion before weight scaling")              \
  X(acd_omega, 4.61, -100, 100, kReal, "log-ACD ω, durations in ns as τaos (e^(ω/(1−α−β)) ns ≈ 10 s)") \
  X(acd_alpha, 0.15, 0, 1, kReal, "log-ACD α")                                                   \
  X(acd_beta, 0.65, 0, 1, kReal, "log-ACD β")                                                    \
  X(chains, 2, 1, 100000, kInteger, "ACD wake-up chains per book; each wake passes the turn on (τaos 1; see above)") \
  X(wake_min_s, 2, 0.001, 86400, kReal, "shortest wait between decisions")                       \
  X(wake_max_s, 600, 0.001, 86400, kReal, "longest wait between decisions")                      \
  X(feed_latency_ms, 250, 0, 60000, kReal, "mean market-data latency")                           \
  X(feed_latency_sd_ms, 50, 0, 60000, kReal, "its standard deviation")                           \
  X(order_latency_min_ms, 90, 0, 60000, kReal, "order latency lower bound")                      \
  X(order_latency_max_ms, 300, 0, 60000, kReal, "order latency upper bound")                     \
  X(order_life_s, 600, 1, 2592000, kReal, "base horizon τ of horizons and order lives (τaos tau)") \
  X(hara, 2, 0, 1e12, kReal, "wealth constant in the CARA demand, quote (τaos HARA)")            \
  X(vol_guard, 1e-6, 1e-12, 0.1, kReal, "one-second return variance where orders turn passive (τaos volGuard)") \
  X(market_threshold, 0.01, 0, 1, kReal, "beyond p·(1 ± this) a price may go to market (τaos wealthFrac)") \
  X(market_exponent, 0.2, 0, 100, kReal, "… with probability (|P − p|/p)^this")                  \
  X(fee_reserve, 0.01, 0, 0.5, kReal, "quote held back from a buy for fees (τaos feeReserveFrac)") \
  X(var_halflife_s, 60, 1, 86400, kReal, "half-life of the return variance estimate")            \
  X(wealth_min, 20000, 0, 1e12, kReal, "wealth is uniform in [min, max], quote; half in base")   \
  X(wealth_max, 158000, 0, 1e12, kReal, "")

#define MF_HFT_PARAMS(X)                                                                         \
  X(count, 20, 0, 10000, kInteger, "Avellaneda–Stoikov market makers per book")                  \
  X(gamma, 1, 0.000001, 1000, kReal, "risk aversion γ")                                          \
  X(gamma_sd, 0.075, 0, 1000, kReal, "each maker's γ ~ N(gamma, this) (τaos gHFTstd)")           \
  X(sigma_sq, 0.016, 0, 100, kReal, "variance σ² in the reservation price")                      \
  X(kappa, 260, 0.000001, 1e9, kReal, "order-arrival decay κ")                                   \
  X(requote_ms, 750, 1, 600000, kReal, "requote period δ at zero inventory")                     \
  X(life_periods, 2, 0.1, 1000, kReal, "a quote lives this many requote periods (τaos tau)")     \
  X(psi_mean, 100, 0, 1e9, kReal, "inventory threshold ψ ~ N(mean, sd)")                         \
  X(psi_sd, 10, 0, 1e9, kReal, "")                                                               \
  X(target_spread, 0.0015, 0, 1, kReal, "relative spread assumed when a side is empty")          \
  X(min_spread_ticks, 12, 0, 1e6, kReal, "narrowest quoted spread, ticks (τaos minSpreadTicks)") \
  X(undercut_ticks, 5, 0, 1e6, kReal, "quotes step this far inside the touch (τaos undercutTicks)") \
  X(noise_ray, 0.41, 0, 1e6, kReal, "Rayleigh scale of a quote's extra distance (τaos noiseRay)") \
  X(shift_percentile, 0.021, 0, 0.999, kReal, "quantile taken off it (τaos shiftPercentage)")    \
  X(rate_sensitivity, 100, 0, 1e9, kReal, "spread × (1 + maker rate × this) (τaos sensitivityCoef)") \
  X(rebalance_spread_base, 0.00015, 1e-9, 1, kReal, "rebalance odds exp(−(rel. spread/base)^exp)") \
  X(rebalance_spread_exp, 1.5, 0, 100, kReal, "")                                                \
  X(rebalance_rate_max, 0.0075, -1, 1, kReal, "… × exp(−(maker rate − this)²/(2·var))")          \
  X(rebalance_rate_var, 1e-5, 1e-12, 1, kReal, "… × |q|/ψ (τaos marginNoiseSTD)")                \
  X(size_mu, -0.175, -100, 100, kReal, "log-normal quote size μ, base")                          \
  X(size_sigma, 1.3, 0, 100, kReal, "log-normal quote size σ")                                   \
  X(feed_latency_ms, 100, 0, 60000, kReal, "market-data latency")                                \
  X(order_latency_min_ms, 1, 0, 60000, kReal, "order latency lower bound")                       \
  X(order_latency_max_ms, 50, 0, 60000, kReal, "order latency upper bound")                      \
  X(base, 500, 0, 1e12, kReal, "starting base")                                                  \
  X(quote, 150000, 0, 1e15, kReal, "starting quote")

#define MF_NOISE_PARAMS(X)                                                                       \
  X(count, 1024, 0, 100000, kInteger, "herding noise traders per book")                          \
  X(balance_coef, 0.38, 0, 1, kReal, "share of wealth an order may use")                         \
  X(size_mu, 2.3, -100, 100, kReal, "log-normal size μ")                                         \
  X(size_sigma, 1, 0, 100, kReal, "log-normal size σ")                                           \
  X(acd_omega, 2.696, -100, 100, kReal, "log-ACD ω; durations in ns as τaos")                    \
  X(acd_alpha, 0.45, 0, 1, kReal, "log-ACD α")                                                   \
  X(acd_beta, 0.45, 0, 1, kReal, "log-ACD β")                                                    \
  X(acd_gamma, 0.58, 0, 100, kReal, "log-ACD term γ·ln(1 − |m|)")                                \
  X(chains, 12, 1, 100000, kInteger, "ACD wake-up chains per book (τaos 1; see above)")          \
  X(wake_min_s, 30, 0.001, 86400, kReal, "shortest wait between decisions")                      \
  X(wake_max_s, 600, 0.001, 86400, kReal, "longest wait between decisions")                      \
  X(life_s, 1800, 1, 2592000, kReal, "order lifetime")                                           \
  X(feed_latency_ms, 1500, 0, 60000, kReal, "market-data latency")                               \
  X(feed_latency_sd_ms, 167, 0, 60000, kReal, "its standard deviation")                          \
  X(order_latency_min_ms, 90, 0, 60000, kReal, "order latency lower bound")                      \
  X(order_latency_max_ms, 300, 0, 60000, kReal, "order latency upper bound")                     \
  X(sigma_exp, 6.84e-8, 1e-15, 1, kReal, "variance of its CARA model (τaos sigmaExp)")           \
  X(field_weight, 0.053, -10, 10, kReal, "forecast log return per unit m (τaos weight)")         \
  X(fee_reserve, 0.01, 0, 0.5, kReal, "quote held back from a buy for fees")                     \
  X(wealth_min, 10000, 0, 1e12, kReal, "wealth is Pareto in [min, max], quote; half in base")    \
  X(wealth_max, 500000, 0, 1e12, kReal, "")                                                      \
  X(wealth_shape, 1.16, 0.01, 100, kReal, "its tail index (τaos 0.5.4 Pareto 1.16)")

#define MF_ALGO_PARAMS(X)                                                                        \
  X(count, 1, 0, 1000, kInteger, "meta-order traders per book")                                  \
  X(vol_omega, 1e-8, 0, 1, kReal, "GARCH-like variance ω, per wake")                             \
  X(vol_alpha, 0.2, 0, 1, kReal, "volatility α")                                                 \
  X(vol_beta, 0.7, 0, 1, kReal, "volatility β")                                                  \
  X(vol_gamma, 0.2, 0, 1, kReal, "γ on realised 1 s variance (τaos gammaX)")                     \
  X(midpoint, 0.025, 0, 10, kReal, "logistic activation midpoint in volatility")                 \
  X(rate, 100, 0, 1e6, kReal, "logistic activation rate")                                        \
  X(depth_trigger, 600, 0, 1e12, kReal, "depth in trigger_levels that starts at once, base")     \
  X(trigger_levels, 5, 1, 1000, kInteger, "levels summed for that trigger (τaos 5)")             \
  X(depth_levels, 21, 2, 1000, kInteger, "levels read for the depth slope (τaos depth 21)")      \
  X(deviation_coef, 0.5, 0, 1e6, kReal, "activation × min(1, this·|pf − p|/p)")                  \
  X(activation_time_s, 259200, 1, 1e9, kReal, "… × min(1, time since its last start / this)")    \
  X(meta_scale, 2000, 0, 1e9, kReal, "Rayleigh scale of a meta order, base")                     \
  X(size_mu, 1.8, -100, 100, kReal, "log-normal slice size μ, base")                             \
  X(size_sigma, 0.9, 0, 100, kReal, "log-normal slice size σ")                                   \
  X(wake_s, 10, 0.001, 86400, kReal, "seconds between checks and slices")                        \
  X(feed_latency_ms, 100, 0, 60000, kReal, "market-data latency")                                \
  X(feed_latency_sd_ms, 25, 0, 60000, kReal, "its standard deviation")                           \
  X(order_latency_min_ms, 90, 0, 60000, kReal, "order latency lower bound")                      \
  X(order_latency_max_ms, 5000, 0, 60000, kReal, "order latency upper bound")                    \
  X(base, 167000, 0, 1e12, kReal, "starting base")                                               \
  X(quote, 50000000, 0, 1e15, kReal, "starting quote")

#define MF_REMOTE_PARAMS(X)                                                                      \
  X(wealth, 50000, 0, 1e12, kReal, "each remote agent's per-book worth, quote (τaos 50 000)")   \
  X(pareto_shape, 2, 0.01, 100, kReal, "split r = (1 − u)^(−1/shape)")

// Every group: X(group, Type, GROUP_MACRO).
#define MF_SIM_PARAM_GROUPS(X)          \
  X(simulation, SimulationParams, MF_SIMULATION_PARAMS)  \
  X(book, BookParams, MF_BOOK_PARAMS)              \
  X(fundamental, FundamentalParams, MF_FUNDAMENTAL_PARAMS) \
  X(field, FieldParams, MF_FIELD_PARAMS)            \
  X(init, InitParams, MF_INIT_PARAMS)              \
  X(stylized, StylizedParams, MF_STYLIZED_PARAMS)      \
  X(hft, HftParams, MF_HFT_PARAMS)                \
  X(noise, NoiseParams, MF_NOISE_PARAMS)            \
  X(algo, AlgoParams, MF_ALGO_PARAMS)              \
  X(remote, RemoteParams, MF_REMOTE_PARAMS)
// clang-format on

#define MF_SIM_PARAM_MEMBER(field, default_value, min, max, kind, doc) double field = default_value;
#define MF_SIM_PARAM_GROUP_STRUCT(group, Type, PARAMS) \
  struct Type {                                         \
    PARAMS(MF_SIM_PARAM_MEMBER)                  \
  };
MF_SIM_PARAM_GROUPS(MF_SIM_PARAM_GROUP_STRUCT)
#undef MF_SIM_PARAM_GROUP_STRUCT
#undef MF_SIM_PARAM_MEMBER

// The whole configuration; default-constructed = τaos's defaults.
struct SimParams {
#define MF_SIM_PARAM_GROUP_MEMBER(group, Type, PARAMS) Type group;
  MF_SIM_PARAM_GROUPS(MF_SIM_PARAM_GROUP_MEMBER)
#undef MF_SIM_PARAM_GROUP_MEMBER
};

// One row of the table, for the ABI and validation.
struct ParamInfo {
  const char* name;  // "group.field"
  double default_value;
  double min;
  double max;
  ParamKind kind;
  const char* doc;
};

// The table in declaration order; SimParams ⇔ a vector of doubles in this order.
std::span<const ParamInfo> ParamTable();

// The values in table order, and back. FromValues returns an empty string,
// or why the values are refused, naming the setting and its limit, e.g.
// "stylized.count: 100001 is above the maximum 100000". It also checks the
// rules that tie settings together (e.g. wealth_min ≤ wealth_max).
std::vector<double> ToValues(const SimParams& params);
std::string FromValues(std::span<const double> values, SimParams& params);

}  // namespace mf::sim

#endif  // MARKETFORGE_SIM_SIM_PARAMS_H_
