/**
 * Catches copied forecasts (TSPS had no such check, tsps.md §3.6): miners
 * whose forecasts are identical or nearly so are grouped, and a group shares
 * one reward instead of multiplying it across hotkeys.
 *
 * "Nearly" must survive small perturbations: a copier that scales the
 * predicted move by 1.001 or adds a little noise should still be caught.
 * Two forecasts a, b with last close c are compared by
 *
 *   d(a, b) = D(a, b) / max(D(a, c), D(b, c), σ)
 *
 * where D is TSPS's step-weighted RMS distance (forecast_error.ts, §3.1),
 * D(a, c) the size of a's predicted move from the last close and σ the
 * std of one-candle close changes before the request. They are copies when
 * d ≤ COPY_TOLERANCE. The move term scales with the forecasts, so scaling
 * a move by 1 + ε gives d ≈ ε at any price level or move size; the σ floor
 * keeps near-flat forecasts from looking different only because their
 * moves are tiny, so noise small next to the series' own noise is caught
 * too. Since |RMSE(a) − RMSE(b)| ≤ D(a, b) (triangle inequality), a copy
 * within the tolerance scores at most COPY_TOLERANCE times that scale
 * better than its source, and splitAmongCopies pays the group its lowest
 * score anyway: perturbing buys nothing.
 *
 * Groups are the connected components of the "copies" relation (single
 * linkage), so they do not depend on the order forecasts arrive in.
 *
 * @module
 */
import { weightedRmse } from "@/engine/forecast/forecast_error.ts";

/**
 * Forecasts within 5% of their scale (see the module comment) count as
 * copies. Chosen, not sourced: 50× the distance of a 1.001 scaling, while
 * genuinely different models differ by tens of percent of their moves.
 * For forecasts moving about σ, 5% is under 0.01 of skill against a
 * 100-step naive error of about 7 σ (a random walk's √50.5 σ).
 */
export const COPY_TOLERANCE = 0.05;

/** What copy distances are measured against, from the candles before the request. */
export interface CopyScale {
  /** The last close the miners saw: moves are measured from it. */
  lastClose: number;
  /** Std of one-candle close changes (stepVolatility); floors the scale. */
  stepVolatility: number;
}

/** Population std of one-step changes of `closes`; 0 with fewer than 3 closes. */
export function stepVolatility(closes: readonly number[]): number {
  if (closes.length < 3) return 0;
  const changes = closes.slice(1).map((close, i) => close - closes[i]);
  const mean = changes.reduce((sum, change) => sum + change, 0) / changes.length;
  return Math.sqrt(
    changes.reduce((sum, change) => sum + (change - mean) ** 2, 0) / changes.length,
  );
}

/**
 * d(a, b) of the module comment: 0 for identical forecasts, Infinity when
 * the lengths differ or when a flat, noiseless scale makes any difference
 * infinitely large.
 */
export function copyDistance(
  a: readonly number[],
  b: readonly number[],
  scale: CopyScale,
): number {
  if (a.length !== b.length) return Infinity;
  if (a.every((value, i) => value === b[i])) return 0;
  if (a.length < 2) return Infinity;
  const flat = new Array<number>(a.length).fill(scale.lastClose);
  const size = Math.max(weightedRmse(a, flat), weightedRmse(b, flat), scale.stepVolatility);
  return size > 0 ? weightedRmse(a, b) / size : Infinity;
}

/**
 * Groups of hotkeys whose forecasts are copies of each other (single
 * linkage under COPY_TOLERANCE), in first-seen order, singletons included.
 */
export function copyGroups(
  forecasts: ReadonlyMap<string, readonly number[]>,
  scale: CopyScale,
  tolerance = COPY_TOLERANCE,
): string[][] {
  const hotkeys = [...forecasts.keys()];
  const paths = [...forecasts.values()];
  const parent = hotkeys.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      if (root(i) === root(j)) continue;
      if (copyDistance(paths[i], paths[j], scale) <= tolerance) {
        const [low, high] = [root(i), root(j)].sort((x, y) => x - y);
        parent[high] = low;
      }
    }
  }
  const groups = new Map<number, string[]>();
  hotkeys.forEach((hotkey, i) => {
    const group = groups.get(root(i)) ?? [];
    group.push(hotkey);
    groups.set(root(i), group);
  });
  return [...groups.values()];
}

/**
 * Every member of a copy group gets the group's lowest score divided by
 * the group's size, so the group together earns no more than any one of
 * its members alone, and a perturbed copy that happens to score a little
 * better than its source cannot lift the group. Hotkeys in no group keep
 * their score.
 */
export function splitAmongCopies(
  scores: ReadonlyMap<string, number>,
  groups: readonly string[][],
): Map<string, number> {
  const result = new Map(scores);
  for (const group of groups) {
    const lowest = Math.min(...group.map((hotkey) => scores.get(hotkey) ?? 0));
    for (const hotkey of group) result.set(hotkey, lowest / group.length);
  }
  return result;
}
