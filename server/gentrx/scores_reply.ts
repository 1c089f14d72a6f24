/**
 * τaos's GET /scores reply (taos.md §6.5): the newest scored round, each
 * miner's score in τaos's snake_case, and what the round did to the model.
 * Read from the round store, so every reader — http_api.ts, the pool, the
 * server's own `score` — sees the same figures the round recorded.
 *
 * @module
 */
import type { Assignment, RoundRecord, RoundStore } from "@/server/gentrx/round_store.ts";

/** τaos GET /scores reply. */
export interface ScoresReply {
  round: number;
  model_version: number;
  scores: Record<number, {
    score: number;
    score_own: number;
    score_held: number;
    overfitting: boolean;
    accepted: boolean;
    reason?: string;
    normalised: number;
    ema: number;
    grad_norm: number;
  }>;
  n_scored: number;
  n_accepted: number;
  n_rejected: number;
  /** The round's proposal became the new model version. */
  applied: boolean;
  /**
   * Why it did not: no upload was accepted, the proposal was rolled back
   * (the held-out loss did not fall), the model moved on, or the round was abandoned.
   */
  reason?: string;
  held_loss_before: number;
  held_loss_after: number;
}

/** τaos GET /scores?since_round: the newest scored round after `sinceRound`, or null. */
export async function latestScores(
  rounds: RoundStore,
  sinceRound: number,
): Promise<ScoresReply | null> {
  let record = await rounds.latestRound();
  while (record !== null && !record.scored && record.round > 0) {
    record = await rounds.round(record.round - 1);
  }
  if (record === null || !record.scored || record.round <= sinceRound) return null;
  return scoresReply(record, await rounds.assignments(record.round));
}

/** The reply for a scored `record` and its scored `assignments`. */
export function scoresReply(record: RoundRecord, assignments: readonly Assignment[]): ScoresReply {
  const scores: ScoresReply["scores"] = {};
  let accepted = 0;
  for (const a of assignments) {
    const s = a.score!;
    if (s.accepted) accepted++;
    scores[a.uid] = {
      score: s.score,
      score_own: s.scoreOwn,
      score_held: s.scoreHeld,
      overfitting: s.overfitting,
      accepted: s.accepted,
      ...(s.reason ? { reason: s.reason } : {}),
      normalised: s.normalised,
      ema: s.ema,
      grad_norm: s.gradNorm,
    };
  }
  const n = Object.keys(scores).length;
  return {
    round: record.round,
    model_version: record.outcome?.versionAfter ?? record.modelVersion,
    scores,
    n_scored: n,
    n_accepted: accepted,
    n_rejected: n - accepted,
    applied: record.outcome?.applied ?? false,
    ...(record.outcome?.reason ? { reason: record.outcome.reason } : {}),
    held_loss_before: record.outcome?.heldLossBefore ?? NaN,
    held_loss_after: record.outcome?.heldLossAfter ?? NaN,
  };
}
