/**
 * The validator's side of GenTRX scoring (taos.md §6.4): each upload is
 * judged by its loss improvements (`judgeUpload`), accepted scores are
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

/** The rules an upload's loss improvements are judged by (GradientServer options). */
export interface AcceptanceRules {
  /** A warm-up round has no threshold (τaos: the first 5 rounds). */
  warmup: boolean;
  /** Accepted when score_held is above this (τaos −0.1). */
  acceptAbove: number;
  /** Also require score_own > 0 (this server's check against lazy uploads). */
  requireOwnImprovement: boolean;
  /** Overfitting when score_own > ratio × score_held (τaos 3). */
  overfitRatio: number;
}

export interface UploadVerdict {
  accepted: boolean;
  /**
   * The miner's own pages improved far more than the held-out books. Logged
   * only, as τaos does (taos.md §6.4, §10): it changes neither acceptance
   * nor the score.
   */
  overfitting: boolean;
  /** Why it was not accepted. */
  reason?: string;
}

/**
 * Judges an upload by its loss improvements (loss before − after) on its
 * miner's pages and on the held-out books (taos.md §6.4). A held-out
 * improvement at or below zero with a positive own one counts as
 * overfitting at any ratio.
 */
export function judgeUpload(
  scoreOwn: number,
  scoreHeld: number,
  rules: AcceptanceRules,
): UploadVerdict {
  if (!Number.isFinite(scoreOwn) || !Number.isFinite(scoreHeld)) {
    return { accepted: false, overfitting: false, reason: "non-finite loss" };
  }
  const overfitting = scoreOwn > 0 && scoreOwn > rules.overfitRatio * Math.max(scoreHeld, 0);
  const refusal = rules.warmup
    ? undefined
    : !(scoreHeld > rules.acceptAbove)
    ? `held-out improvement ${scoreHeld.toFixed(4)} is not above ${rules.acceptAbove}`
    : rules.requireOwnImprovement && !(scoreOwn > 0)
    ? `own-pages improvement ${scoreOwn.toFixed(4)} is not above 0`
    : undefined;
  return refusal === undefined
    ? { accepted: true, overfitting }
    : { accepted: false, overfitting, reason: refusal };
}
