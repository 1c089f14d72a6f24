/**
 * The validator's side of GenTRX scoring (taos.md §6.4): accepted scores are
 * rank-normalised to [0, 1] (rank/(N−1), a lone accepted score gets 1),
 * everything else gets 0, and each UID keeps an EMA with α = 0.1 starting
 * at 0 (τaos's code; its docs say "seeded with the first score", §10).
 *
 * @module
 */

/** τaos's EMA weight of the newest round. */
export const GENTRX_EMA_ALPHA = 0.1;

/** Rank-normalised scores of `accepted` (uid → score); ties share their mean rank. */
export function rankNormalise(accepted: ReadonlyMap<number, number>): Map<number, number> {
  const entries = [...accepted].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const result = new Map<number, number>();
  if (entries.length === 1) {
    result.set(entries[0][0], 1);
    return result;
  }
  let i = 0;
  while (i < entries.length) {
    let j = i;
    while (j + 1 < entries.length && entries[j + 1][1] === entries[i][1]) j++;
    const rank = (i + j) / 2 / (entries.length - 1);
    for (let k = i; k <= j; k++) result.set(entries[k][0], rank);
    i = j + 1;
  }
  return result;
}

/** The next EMA of a UID's training score. */
export function nextEma(previous: number | undefined, score: number, alpha = GENTRX_EMA_ALPHA) {
  return (1 - alpha) * (previous ?? 0) + alpha * score;
}
