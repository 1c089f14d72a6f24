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

/** Final weights by UID (summing to 1 when any pool has a positive score). */
export function combinePools(
  pools: PoolScores,
  uidCount: number,
  shares: PoolShares = DEFAULT_POOL_SHARES,
): number[] {
  const available = 1 - shares.burn;
  const allocation = (pool: PoolInput | undefined, share: number) => {
    if (pool === undefined) return 0;
    const used = normalizePool(pool.scores).some((score) => score > 0);
    return used ? available * share * Math.min(1, Math.max(0, pool.participation)) : 0;
  };
  const trainingShare = allocation(pools.training, shares.training);
  const forecastShare = allocation(pools.forecast, shares.forecast);
  const tradingShare = available - trainingShare - forecastShare;
  const weights = new Array<number>(uidCount).fill(0);
  const add = (scores: readonly number[] | undefined, share: number) => {
    if (scores === undefined || share === 0) return;
    normalizePool(scores).forEach((score, uid) => {
      if (uid < uidCount) weights[uid] += share * score;
    });
  };
  add(pools.trading, tradingShare);
  add(pools.training?.scores, trainingShare);
  add(pools.forecast?.scores, forecastShare);
  if (uidCount > 0) weights[0] += shares.burn;
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return total > 0 ? weights.map((weight) => weight / total) : weights;
}
