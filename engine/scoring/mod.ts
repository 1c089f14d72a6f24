/**
 * Scoring: pure functions from fills and PnL to chain weights
 * (shared/reference/taos.md §4, perf.md §4, chain.md §1.7).
 *
 * @module
 */
export * from "@/engine/scoring/fifo_lots.ts";
export * from "@/engine/scoring/kappa.ts";
export * from "@/engine/scoring/kappa_score.ts";
export * from "@/engine/scoring/pools.ts";
export * from "@/engine/scoring/shaping.ts";
export * from "@/engine/scoring/u16_weights.ts";
