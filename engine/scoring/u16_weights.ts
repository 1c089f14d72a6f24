/**
 * Float weights to the u16 values `set_weights` carries, exactly as the
 * Bittensor Python SDK does (shared/reference/chain.md §1.7):
 * `process_weights_for_netuid` (min allowed weights, quantile exclusion,
 * max weight limit) and `convert_weights_and_uids_for_emit` (max-upscale,
 * banker's rounding, zeros dropped).
 *
 * @module
 */
import { quantile } from "@/engine/scoring/statistics.ts";

export const U16_MAX = 65_535;
/** Weight given to every UID when too few weights are non-zero (SDK). */
const MIN_WEIGHT_FILL = 1e-5;
/** Cutoff epsilon of normalize_max_weight (SDK). */
const CUTOFF_EPSILON = 1e-7;

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference > 0.5) return floor + 1;
  if (difference < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * `convert_weights_and_uids_for_emit`: the max weight becomes 65535, the rest
 * `round(w / max · 65535)`; zeros are dropped. Throws naming a bad input.
 */
export function toU16Weights(
  uids: readonly number[],
  weights: readonly number[],
): { uids: number[]; weights: number[] } {
  if (uids.length !== weights.length) {
    throw new RangeError(`Invalid weights: ${weights.length} weights for ${uids.length} uids`);
  }
  const negative = weights.findIndex((weight) => weight < 0 || !Number.isFinite(weight));
  if (negative >= 0) throw new RangeError(`Invalid weights[${negative}]: must be finite and ≥ 0`);
  if (uids.some((uid) => uid < 0 || !Number.isInteger(uid))) {
    throw new RangeError("Invalid uids: must be non-negative integers");
  }
  const max = Math.max(0, ...weights);
  const result = { uids: [] as number[], weights: [] as number[] };
  if (weights.reduce((sum, weight) => sum + weight, 0) === 0) return result;
  weights.forEach((weight, index) => {
    const value = roundHalfEven((weight / max) * U16_MAX);
    if (value > 0) {
      result.uids.push(uids[index]);
      result.weights.push(value);
    }
  });
  return result;
}

/**
 * `normalize_max_weight`: normalises to sum 1, capping the largest entries
 * with the SDK's cutoff so none exceeds `limit` after renormalising; uniform
 * when n · limit ≤ 1 or all are zero.
 */
export function normalizeMaxWeight(weights: readonly number[], limit: number): number[] {
  const n = weights.length;
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 0 || n * limit <= 1) return weights.map(() => 1 / n);
  const values = [...weights].sort((a, b) => a - b);
  const estimation = values.map((value) => value / total);
  if (Math.max(...estimation) <= limit) return weights.map((weight) => weight / total);
  const cumulative: number[] = [];
  estimation.reduce((sum, value, index) => (cumulative[index] = sum + value), 0);
  const below =
    estimation.filter((value, index) =>
      value / ((n - index - 1) * value + cumulative[index] + CUTOFF_EPSILON) < limit
    ).length;
  const cutoffScale = (limit * cumulative[below - 1] - CUTOFF_EPSILON) / (1 - limit * (n - below));
  const cutoff = cutoffScale * total;
  const capped = weights.map((weight) => Math.min(weight, cutoff));
  const cappedTotal = capped.reduce((sum, weight) => sum + weight, 0);
  return capped.map((weight) => weight / cappedTotal);
}

export interface ProcessWeightsOptions {
  /** Subnet size n. */
  n: number;
  minAllowedWeights: number;
  /** Largest share one UID may get (u16 max_weight_limit / 65535). */
  maxWeightLimit: number;
  /** Quantile (u16 / 65535) below which weights are dropped. */
  excludeQuantile: number;
}

/** `process_weights_for_netuid`: which UIDs get which float weights. */
export function processWeights(
  uids: readonly number[],
  weights: readonly number[],
  options: ProcessWeightsOptions,
): { uids: number[]; weights: number[] } {
  const nonzero = weights.flatMap((weight, index) => weight > 0 ? [index] : []);
  const allUids = Array.from({ length: options.n }, (_, uid) => uid);
  if (nonzero.length === 0 || options.n < options.minAllowedWeights) {
    return { uids: allUids, weights: allUids.map(() => 1 / options.n) };
  }
  if (nonzero.length < options.minAllowedWeights) {
    const filled = allUids.map(() => MIN_WEIGHT_FILL);
    nonzero.forEach((index) => filled[uids[index]] += weights[index]);
    return { uids: allUids, weights: normalizeMaxWeight(filled, options.maxWeightLimit) };
  }
  const kept = nonzero.map((index) => weights[index]);
  const excludeQuantile = Math.min(
    options.excludeQuantile,
    (kept.length - options.minAllowedWeights) / kept.length,
  );
  const lowest = quantile(kept, Math.max(0, excludeQuantile));
  const survivors = nonzero.filter((index) => weights[index] >= lowest);
  return {
    uids: survivors.map((index) => uids[index]),
    weights: normalizeMaxWeight(survivors.map((index) => weights[index]), options.maxWeightLimit),
  };
}
