/**
 * Reward pools: trading, training (GenTRX) and forecast, each a score
 * vector normalised on its own, mixed by configurable shares. A pool's share
 * is scaled by how many miners take part and what it does not use returns to
 * trading (ARCHITECTURE.md decision 5; τaos's gentrx_alloc, taos.md §4.5).
 *
 * @module
 */

export interface PoolShares {
  /** Share of the training pool at full participation (default 5%). */
  training: number;
  /** Share of the forecast pool at full participation (default 10%). */
  forecast: number;
  /** Share burned to UID 0 (τaos burn; default 0). */
  burn: number;
}

export const DEFAULT_POOL_SHARES: PoolShares = { training: 0.05, forecast: 0.1, burn: 0 };

export interface PoolInput {
  /** Scores by UID (negatives are shifted to ≥ 0 before normalising). */
  scores: readonly number[];
  /** Active participants / target participants; the share scales by min(1, this). */
  participation: number;
}

export interface PoolScores {
  trading: readonly number[];
  training?: PoolInput;
  forecast?: PoolInput;
}

/** L1-normalises after shifting so the minimum is at least 0; all-zero stays zero. */
export function normalizePool(scores: readonly number[]): number[] {
  const shift = Math.min(0, ...scores);
  const shifted = scores.map((score) => score - shift);
  const total = shifted.reduce((sum, score) => sum + score, 0);
  return total > 0 ? shifted.map((score) => score / total) : shifted.map(() => 0);
}

/** The pools that share the emission; `burn` (UID 0's share) is not a pool. */
export type PoolName = "trading" | "training" | "forecast";

export const POOL_NAMES: readonly PoolName[] = ["trading", "training", "forecast"];

/** Fractions of the emission, one per pool, plus the burn. */
export type PoolSplit = Record<PoolName | "burn", number>;

/** Per pool, a vector by UID. */
export type PoolContributions = Record<PoolName, number[]>;

/** What combinePools returns: the weights and how the pools made them. */
export interface PoolMix {
  /** Final weights by UID (summing to 1 when any pool has a positive score). */
  weights: number[];
  /**
   * How much of the emission each pool got this round: its configured share
   * scaled by participation, unused shares returned to trading, renormalised
   * with the weights (so a pool whose scores are all zero gets 0). Sums to 1
   * with the burn when any weight is positive; all zero otherwise.
   */
  shares: PoolSplit;
  /**
   * Each pool's part of each UID's weight: for every UID,
   * trading + training + forecast = weight (plus `shares.burn` at UID 0).
   */
  contributions: PoolContributions;
}

/**
 * Mixes the pools into final weights by UID and says what each pool gave.
 *
 * @example
 * ```ts
 * const mix = combinePools({
 *   trading: [0, 1, 1],
 *   forecast: { scores: [0, 0, 1], participation: 0.5 },
 * }, 3);
 * // mix.shares: trading 0.95, forecast 0.05 (10% at half participation)
 * // mix.weights: [0, 0.475, 0.525]; mix.contributions.forecast: [0, 0, 0.05]
 * ```
 */
export function combinePools(
  pools: PoolScores,
  uidCount: number,
  shares: PoolShares = DEFAULT_POOL_SHARES,
): PoolMix {
  const available = 1 - shares.burn;
  const allocation = (pool: PoolInput | undefined, share: number) => {
    if (pool === undefined) return 0;
    const used = normalizePool(pool.scores).some((score) => score > 0);
    return used ? available * share * Math.min(1, Math.max(0, pool.participation)) : 0;
  };
  const trainingShare = allocation(pools.training, shares.training);
  const forecastShare = allocation(pools.forecast, shares.forecast);
  const allocated: PoolSplit = {
    trading: available - trainingShare - forecastShare,
    training: trainingShare,
    forecast: forecastShare,
    burn: uidCount > 0 ? shares.burn : 0,
  };
  const contribution = (scores: readonly number[] | undefined, share: number) => {
    const parts = new Array<number>(uidCount).fill(0);
    if (scores === undefined || share === 0) return parts;
    normalizePool(scores).forEach((score, uid) => {
      if (uid < uidCount) parts[uid] = share * score;
    });
    return parts;
  };
  const contributions: PoolContributions = {
    trading: contribution(pools.trading, allocated.trading),
    training: contribution(pools.training?.scores, allocated.training),
    forecast: contribution(pools.forecast?.scores, allocated.forecast),
  };
  const weights = new Array<number>(uidCount).fill(0);
  for (const name of POOL_NAMES) {
    contributions[name].forEach((part, uid) => weights[uid] += part);
  }
  if (uidCount > 0) weights[0] += allocated.burn;
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  // A pool with nothing to give (trading with all-zero scores) leaves mass
  // unassigned; dividing by the total hands it to the others pro rata.
  const scaled = (part: number) => total > 0 ? part / total : 0;
  const pooled = (parts: number[]) => parts.map(scaled);
  const given = (name: PoolName) =>
    scaled(contributions[name].reduce((sum, part) => sum + part, 0));
  return {
    weights: total > 0 ? pooled(weights) : weights,
    shares: {
      trading: given("trading"),
      training: given("training"),
      forecast: given("forecast"),
      burn: scaled(allocated.burn),
    },
    contributions: {
      trading: pooled(contributions.trading),
      training: pooled(contributions.training),
      forecast: pooled(contributions.forecast),
    },
  };
}
