/**
 * Catches copied forecasts (TSPS had no such check, tsps.md §3.6): miners
 * whose forecasts are identical or nearly so are grouped, and a group shares
 * one reward instead of multiplying it across hotkeys.
 *
 * @module
 */

/** Forecasts closer than this (relative weighted distance) count as copies. */
export const COPY_TOLERANCE = 1e-4;

function relativeDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    sum += (a[i] - b[i]) ** 2;
    scale += (Math.abs(a[i]) + Math.abs(b[i])) ** 2 / 4;
  }
  return scale === 0 ? 0 : Math.sqrt(sum / scale);
}

/** Groups of hotkeys with (near-)identical forecasts, first-seen order. */
export function copyGroups(
  forecasts: ReadonlyMap<string, readonly number[]>,
  tolerance = COPY_TOLERANCE,
): string[][] {
  const groups: { representative: readonly number[]; hotkeys: string[] }[] = [];
  for (const [hotkey, forecast] of forecasts) {
    const group = groups.find((g) =>
      g.representative.length === forecast.length &&
      relativeDistance(g.representative, forecast) <= tolerance
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
