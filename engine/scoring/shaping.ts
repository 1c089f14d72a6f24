/**
 * How τaos turns trading scores into reward shares (shared/reference/taos.md
 * §4.5): the combined score, a soft floor under the median, rank-Pareto
 * shaping with a fixed seed, and an exponential moving average.
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { clamp, quantile } from "@/engine/scoring/statistics.ts";

/** τaos weights of the Kappa and PnL scores in the trading score. */
export const KAPPA_WEIGHT = 0.79;
export const PNL_WEIGHT = 0.21;
/** τaos EMA factor. */
export const EMA_ALPHA = 0.008298755;
/** τaos's fixed Pareto seed (numpy's stream cannot be reproduced; ours is seeded the same way). */
export const PARETO_SEED = 898746039182 % 2 ** 31;
/** Width of the soft floor below the threshold (τaos: lo = thr · (1 − 0.5)). */
const SOFT_FLOOR_WIDTH = 0.5;

/** clamp(0.79 · kappa + 0.21 · pnl, 0, 1). */
export function tradingScore(kappa: number, pnl: number): number {
  return clamp(KAPPA_WEIGHT * kappa + PNL_WEIGHT * pnl, 0, 1);
}

/**
 * Scales each score by clamp((s − lo)/(thr − lo), 0, 1), where thr is the
 * median of the positive scores and lo = thr / 2: scores well below the
 * typical miner fade to zero instead of being cut at a cliff.
 */
export function softFloor(scores: readonly number[]): number[] {
  const positive = scores.filter((score) => score > 0);
  if (positive.length === 0) return [...scores];
  const threshold = quantile(positive, 0.5);
  const low = threshold * (1 - SOFT_FLOOR_WIDTH);
  if (threshold === low) return [...scores];
  return scores.map((score) => score * clamp((score - low) / (threshold - low), 0, 1));
}

/**
 * Rank-Pareto shaping: draw one Lomax (numpy `pareto`) sample per score from
 * a fixed seed, sort both, and multiply the i-th smallest score by the i-th
 * smallest sample, so rewards become heavy-tailed by rank.
 */
export function paretoShape(
  scores: readonly number[],
  { shape = 1, scale = 1, seed = PARETO_SEED } = {},
): number[] {
  const generator = xoroshiro128plus(seed);
  const samples = scores.map(() => scale * ((1 - uniformFloat64(generator)) ** (-1 / shape) - 1))
    .sort((a, b) => a - b);
  const order = scores.map((_, index) => index).sort((a, b) => scores[a] - scores[b] || a - b);
  const shaped = new Array<number>(scores.length);
  order.forEach((index, rank) => shaped[index] = scores[index] * samples[rank]);
  return shaped;
}

/** α · next + (1 − α) · previous, element-wise. */
export function ema(
  previous: readonly number[],
  next: readonly number[],
  alpha = EMA_ALPHA,
): number[] {
  return next.map((value, index) => alpha * value + (1 - alpha) * (previous[index] ?? 0));
}
