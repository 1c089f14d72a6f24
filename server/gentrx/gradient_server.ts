/**
 * The GenTRX gradient server (taos.md §6.3–6.4): opens rounds over the
 * stored pages (round_plan.ts), takes miners' uploads (upload_intake.ts),
 * scores each by loss improvement on its own pages and on forward held-out
 * books and keeps a per-UID EMA of the ranks (miner_scores.ts), and — as the
 * aggregator — applies the accepted deltas' mean if the held-out loss falls,
 * else rolls it back, publishing the versions (aggregator_model.ts); GET
 * /scores reads the outcome (scores_reply.ts). This class is the round's
 * state machine that ties those together: PENDING → DELIVERED →
 * GRADIENT_IN → SCORED, or MISSED on a timeout.
 *
 * Scoring's forward passes — seconds of CPU a round with a few miners —
 * run in a worker opened for each round (round_worker_client.ts), so the
 * validator's market steps go on meanwhile; the decisions and the state stay
 * on the caller's thread.
 *
 * Round state lives in Deno KV (round_store.ts), the model in the object
 * store (published_model.ts): a server reopened on the same KV and store
 * carries on the round where it stopped.
 *
 * @module
 */
import type { GenTrxModel } from "@/engine/gentrx/model.ts";
import type { GenTrxAssignment } from "@/engine/gentrx/store/miner_work.ts";
import { AggregatorModel, type RoundOutcome } from "@/server/gentrx/aggregator_model.ts";
import {
  type GradientServerOptions,
  type ResolvedGradientServerOptions,
  withDefaults,
} from "@/server/gentrx/gradient_server_options.ts";
import { acceptedUids, judgeUploads, rankScores, zeroScore } from "@/server/gentrx/miner_scores.ts";
import { planRound, wireAssignment } from "@/server/gentrx/round_plan.ts";
import { type Assignment, type MinerScore, RoundStore } from "@/server/gentrx/round_store.ts";
import { RoundWorker } from "@/server/gentrx/round_worker_client.ts";
import { latestScores, type ScoresReply } from "@/server/gentrx/scores_reply.ts";
import { UploadIntake } from "@/server/gentrx/upload_intake.ts";

export type { GradientServerOptions } from "@/server/gentrx/gradient_server_options.ts";
export type { ScoresReply } from "@/server/gentrx/scores_reply.ts";

export class GradientServer {
  readonly rounds: RoundStore;
  readonly #options: ResolvedGradientServerOptions;
  readonly #aggregator: AggregatorModel;
  readonly #intake: UploadIntake;

  private constructor(options: ResolvedGradientServerOptions, aggregator: AggregatorModel) {
    this.#options = options;
    this.rounds = new RoundStore(options.kv);
    this.#aggregator = aggregator;
    this.#intake = new UploadIntake(this.rounds, { ...options, now: () => this.#now() });
  }

  /** Loads the published model (or publishes a fresh one) and the round state. */
  static async open(options: GradientServerOptions): Promise<GradientServer> {
    const full = withDefaults(options);
    const server = new GradientServer(full, await AggregatorModel.open(full));
    await server.rounds.setHead({ version: server.modelVersion });
    return server;
  }

  get modelVersion(): number {
    return this.#aggregator.version;
  }

  get model(): GenTrxModel {
    return this.#aggregator.model;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  /**
   * Opens `round` for `uids` (round_plan.ts) on the current model. Returns
   * the assignments to deliver; an existing round is returned as it was.
   */
  async openRound(round: number, uids: readonly number[]): Promise<GenTrxAssignment[]> {
    const existing = await this.rounds.round(round);
    if (existing !== null) return (await this.rounds.assignments(round)).map(wireAssignment);
    const { record, assignments } = planRound(await this.#options.data.pages(), uids, {
      round,
      modelVersion: this.modelVersion,
      openedAtMs: this.#now(),
      rules: this.#options,
    });
    if (!await this.rounds.openRound(record, assignments)) {
      return (await this.rounds.assignments(round)).map(wireAssignment);
    }
    this.#options.log?.(
      `GenTRX round ${round} opened: v${this.modelVersion}, ${assignments.length} miners, held-out books ${record.heldOutBooks}`,
    );
    return assignments.map(wireAssignment);
  }

  /** The assignment reached the miner (PENDING → DELIVERED). */
  async delivered(round: number, uid: number): Promise<boolean> {
    return await this.rounds.transition(round, uid, "PENDING", {
      state: "DELIVERED",
      deliveredAtMs: this.#now(),
    });
  }

  /** UploadIntake.collect: polls the miners' buckets; returns how many uploads are in. */
  async collect(round: number): Promise<number> {
    return await this.#intake.collect(round);
  }

  /** UploadIntake.uploaded: a miner's announced upload, checked; throws saying why it is refused. */
  async uploaded(round: number, uid: number, key: string, sizeBytes: number): Promise<void> {
    await this.#intake.uploaded(round, uid, key, sizeBytes);
  }

  /**
   * Timeouts: PENDING past `deliveryMs` after opening and DELIVERED past
   * the deadline become MISSED (terminal, scored 0). Returns how many moved.
   */
  async expire(round: number): Promise<number> {
    const record = await this.rounds.round(round);
    if (record === null || record.scored) return 0;
    const now = this.#now();
    let moved = 0;
    for (const a of await this.rounds.assignments(round)) {
      const reason = a.state === "PENDING" &&
          now > Math.min(record.openedAtMs + this.#options.deliveryMs, record.deadlineMs)
        ? "not delivered in time: the miner was not connected"
        : a.state === "DELIVERED" && now > record.deadlineMs
        ? "no gradient by the deadline"
        : null;
      if (reason === null) continue;
      if (
        await this.rounds.transition(round, a.uid, a.state, {
          state: "MISSED",
          missedReason: reason,
        })
      ) {
        moved++;
      }
    }
    return moved;
  }

  /** Every assignment is in or missed, or the deadline passed (late and missing score 0). */
  async ready(round: number): Promise<boolean> {
    const record = await this.rounds.round(round);
    if (record === null || record.scored) return false;
    if (this.#now() > record.deadlineMs) return true;
    return (await this.rounds.assignments(round)).every((a) =>
      a.state === "GRADIENT_IN" || a.state === "MISSED"
    );
  }

  /** Expires, collects, and scores if ready; the validator's poll. Returns the scores when scored. */
  async poll(round: number, options: { collect?: boolean } = {}): Promise<ScoresReply | null> {
    await this.expire(round);
    if (options.collect ?? true) await this.collect(round);
    return await this.ready(round) ? await this.score(round) : null;
  }

  /**
   * Scores the round (miner_scores.ts), aggregates, applies or rolls back,
   * publishes (aggregator_model.ts), and records it all in one commit. The
   * forward passes run in a worker (round_worker_client.ts); the decisions
   * and the state stay here.
   */
  async score(round: number): Promise<ScoresReply> {
    const record = await this.rounds.round(round);
    if (record === null) throw new RangeError(`Unknown GenTRX round ${round}`);
    if (record.scored) return (await this.scores(round - 1))!;
    const options = this.#options;
    const assignments = await this.rounds.assignments(round);
    const warmup = round <= options.warmupRounds;
    const worker = await RoundWorker.open(
      await this.#aggregator.at(record.modelVersion),
      record.modelVersion,
      options,
      (key) => this.#page(key),
    );
    let results, outcome;
    try {
      const heldLossBefore = await worker.baseLoss(record.heldOutPages);
      results = await judgeUploads(record, assignments, {
        intake: this.#intake,
        worker,
        rules: { ...options, warmup },
      });
      const accepted = acceptedUids(results);
      outcome = await this.#aggregator.aggregate(record, accepted, heldLossBefore, worker, warmup);
    } finally {
      worker.close();
    }
    const emas = await this.rounds.emas();
    rankScores(results, emas);
    const scored = assignments.map((a): Assignment => ({
      ...a,
      state: a.state === "GRADIENT_IN" ? "SCORED" : "MISSED",
      missedReason: a.state === "GRADIENT_IN" ? undefined : results.get(a.uid)!.reason,
      score: results.get(a.uid)!,
    }));
    await this.rounds.finishRound({ ...record, outcome }, scored, emas, {
      version: this.modelVersion,
    });
    options.log?.(scoredLine(round, results, outcome));
    return (await this.scores(round - 1))!;
  }

  async #page(key: string): Promise<Uint8Array> {
    const bytes = await this.#options.store.get(key);
    if (bytes === null) throw new RangeError(`Cannot score: page "${key}" is missing`);
    return bytes;
  }

  /**
   * Closes an open round without scoring it (its pages were wiped at the end
   * of a simulation): everyone scores 0 for it, EMAs and the model are kept.
   */
  async abandonRound(round: number, reason: string): Promise<void> {
    const record = await this.rounds.round(round);
    if (record === null || record.scored) return;
    const emas = await this.rounds.emas();
    const scored = (await this.rounds.assignments(round)).map((a): Assignment => ({
      ...a,
      state: "SCORED",
      score: { ...zeroScore(reason), ema: emas.get(a.uid) ?? 0 },
    }));
    await this.rounds.finishRound(
      { ...record, outcome: this.#aggregator.kept(reason, NaN) },
      scored,
      new Map(),
      { version: this.modelVersion },
    );
    this.#options.log?.(`GenTRX round ${round} abandoned: ${reason}`);
  }

  /** τaos GET /scores?since_round: the newest scored round after `sinceRound`, or null. */
  async scores(sinceRound = -1): Promise<ScoresReply | null> {
    return await latestScores(this.rounds, sinceRound);
  }

  /** Every UID's training EMA: what the scoring pools read as the training pool. */
  async trainingEmas(): Promise<Map<number, number>> {
    return await this.rounds.emas();
  }
}

/** The log line of a scored round: how many were accepted, what happened to the model, who overfitted. */
function scoredLine(
  round: number,
  results: ReadonlyMap<number, MinerScore>,
  outcome: RoundOutcome,
): string {
  const accepted = acceptedUids(results).length;
  const overfitting = [...results].filter(([, s]) => s.overfitting).map(([uid, s]) =>
    `uid ${uid} own ${s.scoreOwn.toFixed(4)} vs held ${s.scoreHeld.toFixed(4)}`
  );
  return `GenTRX round ${round} scored: ${accepted}/${results.size} accepted, ${
    outcome.applied ? `applied v${outcome.versionAfter}` : `not applied: ${outcome.reason}`
  }, held-out loss ${outcome.heldLossBefore.toFixed(4)} → ${outcome.heldLossAfter.toFixed(4)}${
    overfitting.length > 0 ? `; overfitting (logged only): ${overfitting.join(", ")}` : ""
  }`;
}
