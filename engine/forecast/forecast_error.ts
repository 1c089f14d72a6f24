/**
 * Scoring a forecast path against what happened (shared/reference/tsps.md
 * §3.1, §7): TSPS's step-weighted RMSE, and a skill score against the naive
 * last-value forecast so a miner that cannot beat naive earns nothing.
 *
 * @module
 */

/** TSPS RMSE_WEIGHT: w_i = e^{−0.001·i}, early steps count slightly more. */
export const RMSE_DECAY = 0.001;

/**
 * sqrt(Σ w_i (p_i − a_i)² / Σ w_i). Throws naming the problem when the
 * lengths differ or fewer than 2 actuals exist (TSPS requirements).
 */
export function weightedRmse(predicted: readonly number[], actual: readonly number[]): number {
  if (predicted.length !== actual.length) {
    throw new RangeError(
      `Invalid forecast: ${predicted.length} values for ${actual.length} actuals`,
    );
  }
  if (actual.length < 2) {
    throw new RangeError("Invalid forecast: at least 2 actual values are needed");
  }
  let weighted = 0;
  let totalWeight = 0;
  for (let i = 0; i < actual.length; i++) {
    const weight = Math.exp(-RMSE_DECAY * i);
    weighted += weight * (predicted[i] - actual[i]) ** 2;
    totalWeight += weight;
  }
  return Math.sqrt(weighted / totalWeight);
}

/** The naive forecast: the last known close, repeated. */
export function naiveForecast(lastClose: number, horizon: number): number[] {
  return new Array(horizon).fill(lastClose);
}

/**
 * Skill against naive in [0, 1]: 1 − error / naive error, floored at 0.
 * A malformed forecast (wrong length, non-finite values) scores 0, the
 * worst; when naive is already perfect, only a perfect forecast scores 1.
 */
export function forecastSkill(
  predicted: readonly number[] | null,
  actual: readonly number[],
  lastClose: number,
): number {
  if (
    predicted === null || predicted.length !== actual.length ||
    !predicted.every(Number.isFinite)
  ) return 0;
  const error = weightedRmse(predicted, actual);
  const naive = weightedRmse(naiveForecast(lastClose, actual.length), actual);
  if (naive === 0) return error === 0 ? 1 : 0;
  return Math.max(0, 1 - error / naive);
}
