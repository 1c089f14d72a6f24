/**
 * TSPS's cross-sectional normalisation of one request's losses into reward
 * shares (shared/reference/tsps.md §3.2), reimplemented from the spec:
 *
 * - when the losses' variance is 0 (all equal, or a single responder),
 *   every miner gets 1/N, unrounded;
 * - otherwise s_i = 1 − (L_i − L_min)/(L_max − L_min) (best 1, worst 0) and
 *   w_i = s_i / Σ s_j, rounded to 4 decimal places.
 *
 * The forecast pool does not use it by default (server/forecast/
 * forecast_pool.ts, `scoring: "skill"`): min–max scaling is relative to the
 * field, so the worst responder gets 0 however good it was, the best gets
 * the most however bad, and a field of identical naive forecasts shares the
 * whole reward (§3.6). Our skill against the naive forecast
 * (forecast_error.ts) pays only for beating naive. `scoring: "tsps"` runs
 * the pool on these shares for comparison with the original subnet.
 *
 * @example
 * ```ts
 * normalizeLosses(new Map([["a", 1], ["b", 2], ["c", 3]]));
 * // Map { a → 0.6667, b → 0.3333, c → 0 }
 * ```
 *
 * @module
 */
import { weightedRmse } from "@/engine/forecast/forecast_error.ts";

/** TSPS rounds each normalised share to this many decimal places. */
export const SHARE_DECIMALS = 4;

/**
 * Rounds as Python's `round(x, digits)` does, TSPS's validator being
 * Python: to the nearest decimal of the double's exact value, ties to even.
 * `toFixed` already rounds the exact value but sends ties up. A double is
 * a tie at d decimals only when it is an odd multiple of 2^−(d+1) (x·10^d =
 * k + ½ needs 5^d | 2k + 1), e.g. 0.03125 = 1/32 at 4, which Python rounds
 * to 0.0312; x·2^(d+1) being an odd integer detects it exactly.
 */
export function pythonRound(value: number, digits = SHARE_DECIMALS): number {
  const halves = value * 2 ** (digits + 1);
  if (Number.isInteger(halves) && Math.abs(halves % 2) === 1) {
    const lower = Math.floor(value * 10 ** digits);
    return (lower % 2 === 0 ? lower : lower + 1) / 10 ** digits;
  }
  return Number(value.toFixed(digits));
}

/**
 * TSPS's shares from losses by hotkey (lower is better). Throws naming the
 * hotkey when a loss is not finite (TSPS v6.1 dropped NaN forecasts before
 * this step). An empty map gives an empty map.
 */
export function normalizeLosses(losses: ReadonlyMap<string, number>): Map<string, number> {
  for (const [hotkey, loss] of losses) {
    if (!Number.isFinite(loss)) {
      throw new RangeError(`Cannot normalise losses: ${hotkey}'s loss is ${loss}`);
    }
  }
  const values = [...losses.values()];
  const min = Math.min(...values);
  const max = Math.max(...values);
  // Variance 0 ⇔ every loss equal (one responder included).
  if (min === max) return new Map([...losses.keys()].map((hotkey) => [hotkey, 1 / losses.size]));
  const scaled = new Map(
    [...losses].map(([hotkey, loss]) => [hotkey, 1 - (loss - min) / (max - min)]),
  );
  const total = [...scaled.values()].reduce((sum, value) => sum + value, 0);
  return new Map([...scaled].map(([hotkey, value]) => [hotkey, pythonRound(value / total)]));
}

/**
 * One request scored as TSPS scores it: each valid forecast's step-weighted
 * RMSE against the realised closes (§3.1), normalised across the
 * responders. Miners without a valid forecast are left out, as TSPS left
 * them out (the ledger then decays them as absent, §3.3).
 */
export function tspsShares(
  forecasts: ReadonlyMap<string, readonly number[]>,
  actual: readonly number[],
): Map<string, number> {
  const losses = new Map<string, number>();
  for (const [hotkey, forecast] of forecasts) losses.set(hotkey, weightedRmse(forecast, actual));
  return normalizeLosses(losses);
}
