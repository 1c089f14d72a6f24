/**
 * Catches copied forecasts (TSPS had no such check, tsps.md §3.6): miners
 * whose forecasts are identical or nearly so are grouped, and a group shares
 * one reward instead of multiplying it across hotkeys.
 *
 * @module
 */

/**
 * Forecasts closer than this count as copies: the distance between two
 * paths relative to how far they move from the last close (with a
 * reference) or to their price level (without one).
 */
export const COPY_TOLERANCE = 1e-4;

function relativeDistance(
  a: readonly number[],
  b: readonly number[],
  reference: number | undefined,
): number {
  let sum = 0;
  let scaleA = 0;
  let scaleB = 0;
  for (let i = 0; i < a.length; i++) {
    sum += (a[i] - b[i]) ** 2;
    if (reference === undefined) {
      scaleA += (Math.abs(a[i]) + Math.abs(b[i])) ** 2 / 4;
    } else {
      scaleA += (a[i] - reference) ** 2;
      scaleB += (b[i] - reference) ** 2;
    }
  }
  const scale = Math.max(scaleA, scaleB);
  if (scale === 0) return sum === 0 ? 0 : Infinity;
  return Math.sqrt(sum / scale);
}

/**
 * Groups of hotkeys with (near-)identical forecasts, first-seen order.
 * With `reference` (the last close the miners saw), nearness is measured
 * against each forecast's move from it, so two different forecasts that
 * both stay close to the last price are not taken for copies; two naive
 * forecasts are identical and do group (they earn nothing anyway).
 */
export function copyGroups(
  forecasts: ReadonlyMap<string, readonly number[]>,
  tolerance = COPY_TOLERANCE,
  reference?: number,
): string[][] {
  const groups: { representative: readonly number[]; hotkeys: string[] }[] = [];
  for (const [hotkey, forecast] of forecasts) {
    const group = groups.find((g) =>
      g.representative.length === forecast.length &&
      relativeDistance(g.representative, forecast, reference) <= tolerance
    );
    if (group) group.hotkeys.push(hotkey);
    else groups.push({ representative: forecast, hotkeys: [hotkey] });
  }
  return groups.map((group) => group.hotkeys);
}

/** Divides each score by the size of its copy group. */
export function splitAmongCopies(
  scores: ReadonlyMap<string, number>,
  groups: readonly string[][],
): Map<string, number> {
  const result = new Map(scores);
  for (const group of groups) {
    for (const hotkey of group) result.set(hotkey, (scores.get(hotkey) ?? 0) / group.length);
  }
  return result;
}
