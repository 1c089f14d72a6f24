/**
 * Each assigned miner's score for a GenTRX round (taos.md §6.4): its upload
 * downloaded (upload_intake.ts), evaluated in the round's worker
 * (round_worker_client.ts), judged by `judgeUpload`; then the accepted
 * scores rank-normalised and every UID's EMA moved on (round_scoring.ts). A
 * miner with no usable upload scores 0, with the reason.
 *
 * @module
 */
import {
  type AcceptanceRules,
  judgeUpload,
  nextEma,
  rankNormalise,
} from "@/server/gentrx/round_scoring.ts";
import type { UploadEvaluation } from "@/server/gentrx/round_evaluator.ts";
import type { Assignment, MinerScore, RoundRecord } from "@/server/gentrx/round_store.ts";
import type { RoundWorker } from "@/server/gentrx/round_worker_client.ts";
import type { UploadIntake } from "@/server/gentrx/upload_intake.ts";

/** Where a round's uploads are read and evaluated, and the rules they are judged by. */
export interface JudgingContext {
  intake: Pick<UploadIntake, "download">;
  worker: Pick<RoundWorker, "evaluateUpload">;
  rules: AcceptanceRules;
}

/**
 * Every assignment's score, by UID in `assignments`' order: a GRADIENT_IN
 * upload is evaluated and judged, anything else scores 0 with why it
 * missed. `normalised` and `ema` are 0 until `rankScores`.
 */
export async function judgeUploads(
  record: RoundRecord,
  assignments: readonly Assignment[],
  context: JudgingContext,
): Promise<Map<number, MinerScore>> {
  const results = new Map<number, MinerScore>();
  for (const assignment of assignments) {
    const upload = assignment.state === "GRADIENT_IN"
      ? await evaluateUpload(record, assignment, context)
      : { ok: false as const, message: assignment.missedReason ?? "no gradient by the deadline" };
    if (!upload.ok) {
      results.set(assignment.uid, zeroScore(upload.message));
      continue;
    }
    const { scoreOwn, scoreHeld, gradNorm } = upload;
    const verdict = judgeUpload(scoreOwn, scoreHeld, context.rules);
    const finite = Number.isFinite(scoreOwn) && Number.isFinite(scoreHeld);
    results.set(assignment.uid, {
      score: finite ? scoreHeld : 0,
      scoreOwn: finite ? scoreOwn : 0,
      scoreHeld: finite ? scoreHeld : 0,
      overfitting: verdict.overfitting,
      accepted: verdict.accepted,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      normalised: 0,
      ema: 0,
      gradNorm,
    });
  }
  return results;
}

/** The accepted UIDs, in `results`' order: the order their deltas are averaged in. */
export function acceptedUids(results: ReadonlyMap<number, MinerScore>): number[] {
  return [...results].filter(([, s]) => s.accepted).map(([uid]) => uid);
}

/**
 * Rank-normalises the accepted scores (the rest get 0) and moves every
 * UID's EMA on: sets `normalised` and `ema` in `results` and the new EMAs
 * in `emas`.
 */
export function rankScores(results: Map<number, MinerScore>, emas: Map<number, number>): void {
  const normalised = rankNormalise(
    new Map([...results].filter(([, s]) => s.accepted).map(([uid, s]) => [uid, s.score])),
  );
  for (const [uid, result] of results) {
    result.normalised = normalised.get(uid) ?? 0;
    result.ema = nextEma(emas.get(uid), result.normalised);
    emas.set(uid, result.ema);
  }
}

/** An upload that earned nothing, and why. */
export function zeroScore(reason: string): MinerScore {
  return {
    score: 0,
    scoreOwn: 0,
    scoreHeld: 0,
    overfitting: false,
    accepted: false,
    reason,
    normalised: 0,
    ema: 0,
    gradNorm: 0,
  };
}

/** Downloads an upload and evaluates it; either failing rejects it, saying why. */
async function evaluateUpload(
  record: RoundRecord,
  assignment: Assignment,
  context: JudgingContext,
): Promise<UploadEvaluation> {
  let bytes;
  try {
    bytes = await context.intake.download(record.round, assignment.uid);
  } catch (error) {
    return { ok: false, message: `rejected upload: ${(error as Error).message}` };
  }
  const evaluation = await context.worker.evaluateUpload(
    assignment.uid,
    bytes,
    assignment.pages,
    record.heldOutPages,
  );
  return evaluation.ok
    ? evaluation
    : { ok: false, message: `rejected upload: ${evaluation.message}` };
}
