/**
 * The GenTRX gradient server (taos.md §6.3–6.4): opens rounds over the
 * stored pages, assigns pages to miners, collects their compressed deltas,
 * scores each by loss improvement on its own pages and on forward held-out
 * books, rank-normalises the accepted scores into a per-UID EMA, averages
 * the accepted deltas into a proposal and — as the aggregator — applies it
 * if the held-out loss falls (else rolls back, saying why in /scores and
 * the log), publishing the delta and a full checkpoint every 6 versions
 * (published_model.ts `CHECKPOINT_EVERY_VERSIONS`, τaos's cadence).
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
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import { MAX_DELTA_BYTES } from "@/engine/gentrx/compression/delta_codec.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import {
  type DataKeyScope,
  gradientKey,
  proposalKey,
  publishedDeltaKey,
} from "@/engine/gentrx/store/data_keys.ts";
import type { GenTrxAssignment } from "@/engine/gentrx/store/miner_work.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import {
  loadPublishedModel,
  publishInitial,
  publishVersion,
} from "@/engine/gentrx/store/published_model.ts";
import { heldOutSplit } from "@/server/gentrx/held_out.ts";
import type { UploadEvaluation } from "@/server/gentrx/round_evaluator.ts";
import { judgeUpload, nextEma, rankNormalise } from "@/server/gentrx/round_scoring.ts";
import {
  type Assignment,
  type MinerScore,
  type RoundRecord,
  RoundStore,
} from "@/server/gentrx/round_store.ts";
import { RoundWorker } from "@/server/gentrx/round_worker_client.ts";
import type { PageInfo, TrainingData } from "@/server/gentrx/training_data.ts";

export interface GradientServerOptions {
  kv: Deno.Kv;
  /** The validator's bucket: pages, proposals, the published model. */
  store: ObjectStore;
  data: TrainingData;
  scope: DataKeyScope;
  validatorUid: number;
  /** The model to start from when nothing is published yet. */
  modelConfig: GenTrxConfig;
  modelSeed: number;
  /**
   * Where a miner's uploads are read: its bucket, from its chain commitment
   * (taos.md §6.6); default `store`. Throws when the miner has none.
   */
  minerStore?: (uid: number) => ObjectStore | Promise<ObjectStore>;
  /** PENDING assignments not delivered within this are MISSED (default 30 s, τaos's poll interval). */
  deliveryMs?: number;
  /** τaos assigns 3 pages per miner. */
  pagesPerMiner?: number;
  /** Forward held-out pages scored on. */
  heldOutPages?: number;
  /** Gradient deadline after a round opens (τaos 240 s of training, 25 blocks a round). */
  roundMs?: number;
  seqLen: number;
  batchSize: number;
  /** Accepted when the held-out improvement exceeds this (τaos −0.1). */
  acceptAbove?: number;
  /** Rounds with no threshold and no rollback (τaos 5). */
  warmupRounds?: number;
  /**
   * Also require a loss improvement on the miner's own pages (default true):
   * a delta that does not lower the loss of the data it claims to be trained
   * on is not training, whatever its luck on the held-out books. τaos only
   * logs score_own; this catches lazy uploads of noise that land near zero.
   */
  requireOwnImprovement?: boolean;
  /** Overfitting when own > ratio × held (τaos 3; logged only). */
  overfitRatio?: number;
  now?: () => number;
  log?: (line: string) => void;
}

const DEFAULTS = {
  deliveryMs: 30_000,
  pagesPerMiner: 3,
  heldOutPages: 2,
  roundMs: 300_000,
  acceptAbove: -0.1,
  warmupRounds: 5,
  overfitRatio: 3,
  requireOwnImprovement: true,
};

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

export class GradientServer {
  readonly rounds: RoundStore;
  readonly #options: GradientServerOptions & typeof DEFAULTS;
  #model: GenTrxModel;
  #version: number;

  private constructor(
    options: GradientServerOptions & typeof DEFAULTS,
    model: GenTrxModel,
    version: number,
  ) {
    this.#options = options;
    this.rounds = new RoundStore(options.kv);
    this.#model = model;
    this.#version = version;
  }

  /** Loads the published model (or publishes a fresh one) and the round state. */
  static async open(options: GradientServerOptions): Promise<GradientServer> {
    const full = { ...DEFAULTS, ...options };
    let published = await loadPublishedModel(full.store, full.scope, full.validatorUid);
    if (published === null) {
      const model = GenTrxModel.create(full.modelConfig, full.modelSeed);
      await publishInitial(full.store, full.scope, full.validatorUid, model);
      published = { model, version: 0 };
    }
    const server = new GradientServer(full, published.model, published.version);
    await server.rounds.setHead({ version: published.version });
    return server;
  }

  get modelVersion(): number {
    return this.#version;
  }

  get model(): GenTrxModel {
    return this.#model;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  /**
   * Opens `round` for `uids`: splits the books, picks forward held-out pages
   * and gives each miner `pagesPerMiner` of the newest training pages (miners
   * in turn, so their pages differ while there are enough). Returns the
   * assignments to deliver; an existing round is returned as it was.
   */
  async openRound(round: number, uids: readonly number[]): Promise<GenTrxAssignment[]> {
    const existing = await this.rounds.round(round);
    if (existing !== null) return (await this.rounds.assignments(round)).map(toWire);
    const pages = await this.#options.data.pages();
    const split = heldOutSplit([...new Set(pages.map((page) => page.bookId))], round);
    const held = new Set(split.heldOut);
    const newest = (list: PageInfo[]) =>
      list.sort((a, b) => b.endNs - a.endNs || (a.key < b.key ? -1 : 1));
    const training = newest(pages.filter((page) => !held.has(page.bookId)));
    const heldOut = newest(pages.filter((page) => held.has(page.bookId)))
      .slice(0, this.#options.heldOutPages);
    if (training.length === 0 || heldOut.length === 0) {
      throw new RangeError(
        `Cannot open GenTRX round ${round}: ${training.length} training and ${heldOut.length} held-out pages (need at least 1 of each)`,
      );
    }
    const per = this.#options.pagesPerMiner;
    const openedAtMs = this.#now();
    const assignments: Assignment[] = [...new Set(uids)].sort((a, b) => a - b).map((uid, i) => {
      const mine = Array.from(
        { length: Math.min(per, training.length) },
        (_, k) => training[(i * per + k) % training.length],
      );
      return {
        round,
        uid,
        modelVersion: this.#version,
        pages: mine.map((page) => page.key),
        tsStartNs: Math.min(...mine.map((page) => page.startNs)),
        tsEndNs: Math.max(...mine.map((page) => page.endNs)),
        state: "PENDING",
      };
    });
    const record: RoundRecord = {
      round,
      modelVersion: this.#version,
      openedAtMs,
      deadlineMs: openedAtMs + this.#options.roundMs,
      trainingBooks: split.training,
      heldOutBooks: split.heldOut,
      heldOutPages: heldOut.map((page) => page.key),
      uids: assignments.map((a) => a.uid),
      scored: false,
    };
    if (!await this.rounds.openRound(record, assignments)) {
      return (await this.rounds.assignments(round)).map(toWire);
    }
    this.#options.log?.(
      `GenTRX round ${round} opened: v${this.#version}, ${assignments.length} miners, held-out books ${split.heldOut}`,
    );
    return assignments.map(toWire);
  }

  /** The assignment reached the miner (PENDING → DELIVERED). */
  async delivered(round: number, uid: number): Promise<boolean> {
    return await this.rounds.transition(round, uid, "PENDING", {
      state: "DELIVERED",
      deliveredAtMs: this.#now(),
    });
  }

  /**
   * Looks for each outstanding miner's upload in its bucket; found before
   * the deadline it is GRADIENT_IN. Returns how many are in.
   */
  async collect(round: number): Promise<number> {
    const record = await this.rounds.round(round);
    if (record === null) throw new RangeError(`Unknown GenTRX round ${round}`);
    let inCount = 0;
    for (const assignment of await this.rounds.assignments(round)) {
      if (assignment.state === "GRADIENT_IN" || assignment.state === "SCORED") {
        inCount++;
        continue;
      }
      if (assignment.state === "MISSED") continue;
      if (record.scored || this.#now() > record.deadlineMs) continue;
      let listed;
      try {
        const store = await this.#minerStore(assignment.uid);
        listed = await store.list(gradientKey(this.#options.scope, assignment.uid, round));
      } catch {
        continue;
      }
      if (listed.length === 0) continue;
      const moved = await this.rounds.transition(round, assignment.uid, assignment.state, {
        state: "GRADIENT_IN",
        gradientAtMs: this.#now(),
      });
      if (moved) inCount++;
    }
    return inCount;
  }

  /**
   * A miner says its delta is in its bucket (the session's `uploaded` body):
   * checks the round, the key, the deadline and the listed size, then
   * DELIVERED → GRADIENT_IN. Throws a RangeError saying why it is refused.
   */
  async uploaded(round: number, uid: number, key: string, sizeBytes: number): Promise<void> {
    const record = await this.rounds.round(round);
    const assignment = await this.rounds.assignment(round, uid);
    if (record === null || assignment === null) {
      throw new RangeError(`Cannot take round ${round} from uid ${uid}: no such assignment`);
    }
    if (assignment.state !== "DELIVERED") {
      throw new RangeError(
        `Cannot take round ${round} from uid ${uid}: the assignment is ${assignment.state}`,
      );
    }
    if (record.scored || this.#now() > record.deadlineMs) {
      throw new RangeError(`Cannot take round ${round} from uid ${uid}: the deadline passed`);
    }
    const expected = gradientKey(this.#options.scope, uid, round);
    if (key !== expected) {
      throw new RangeError(
        `Cannot take round ${round} from uid ${uid}: key "${key}" is not "${expected}"`,
      );
    }
    const store = await this.#minerStore(uid);
    const listed = (await store.list(key)).find((object) => object.key === key);
    if (listed === undefined) {
      throw new RangeError(
        `Cannot take round ${round} from uid ${uid}: "${key}" is not in ${store.description}`,
      );
    }
    if (listed.sizeBytes !== sizeBytes) {
      throw new RangeError(
        `Cannot take round ${round} from uid ${uid}: "${key}" is ${listed.sizeBytes} bytes, the miner said ${sizeBytes}`,
      );
    }
    const moved = await this.rounds.transition(round, uid, "DELIVERED", {
      state: "GRADIENT_IN",
      gradientAtMs: this.#now(),
    });
    if (!moved) {
      throw new RangeError(`Cannot take round ${round} from uid ${uid}: it changed meanwhile`);
    }
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

  async #minerStore(uid: number): Promise<ObjectStore> {
    return await this.#options.minerStore?.(uid) ?? this.#options.store;
  }

  /**
   * Scores the round, aggregates, applies or rolls back, publishes. The
   * forward passes run in a worker (round_worker_client.ts); the decisions
   * and the state stay here.
   */
  async score(round: number): Promise<ScoresReply> {
    const record = await this.rounds.round(round);
    if (record === null) throw new RangeError(`Unknown GenTRX round ${round}`);
    if (record.scored) return (await this.scores(round - 1))!;
    const options = this.#options;
    const assignments = await this.rounds.assignments(round);
    const worker = await RoundWorker.open(
      await this.#modelAt(record.modelVersion),
      record.modelVersion,
      options,
      (key) => this.#page(key),
    );
    let evaluated;
    try {
      evaluated = await this.#evaluate(record, assignments, worker);
    } finally {
      worker.close();
    }
    const { results, outcome } = evaluated;
    // Rank-normalise the accepted, EMA for every assigned UID.
    const normalised = rankNormalise(
      new Map([...results].filter(([, s]) => s.accepted).map(([uid, s]) => [uid, s.score])),
    );
    const emas = await this.rounds.emas();
    for (const [uid, result] of results) {
      result.normalised = normalised.get(uid) ?? 0;
      result.ema = nextEma(emas.get(uid), result.normalised);
      emas.set(uid, result.ema);
    }
    const scored = assignments.map((a): Assignment => ({
      ...a,
      state: a.state === "GRADIENT_IN" ? "SCORED" : "MISSED",
      missedReason: a.state === "GRADIENT_IN" ? undefined : results.get(a.uid)!.reason,
      score: results.get(a.uid)!,
    }));
    await this.rounds.finishRound({ ...record, outcome }, scored, emas, { version: this.#version });
    const accepted = [...results.values()].filter((s) => s.accepted).length;
    const overfitting = [...results].filter(([, s]) => s.overfitting).map(([uid, s]) =>
      `uid ${uid} own ${s.scoreOwn.toFixed(4)} vs held ${s.scoreHeld.toFixed(4)}`
    );
    options.log?.(
      `GenTRX round ${round} scored: ${accepted}/${assignments.length} accepted, ${
        outcome.applied ? `applied v${outcome.versionAfter}` : `not applied: ${outcome.reason}`
      }, held-out loss ${outcome.heldLossBefore.toFixed(4)} → ${outcome.heldLossAfter.toFixed(4)}${
        overfitting.length > 0 ? `; overfitting (logged only): ${overfitting.join(", ")}` : ""
      }`,
    );
    return (await this.scores(round - 1))!;
  }

  /**
   * Each upload's scores and the round's outcome: the proposal of the
   * accepted is applied (published as the next version) when the round is
   * in warm-up or it lowers the held-out loss, else rolled back. A proposal
   * already published (a restart between publishing and recording the
   * round) counts as applied and is not published again; a round whose
   * model was replaced while it was open is scored but not applied.
   */
  async #evaluate(
    record: RoundRecord,
    assignments: readonly Assignment[],
    worker: RoundWorker,
  ): Promise<{ results: Map<number, MinerScore>; outcome: NonNullable<RoundRecord["outcome"]> }> {
    const options = this.#options;
    const rules = { ...options, warmup: record.round <= options.warmupRounds };
    const held = record.heldOutPages;
    const heldLossBefore = await worker.baseLoss(held);
    const results = new Map<number, MinerScore>();
    const acceptedUids: number[] = [];
    for (const assignment of assignments) {
      const upload = assignment.state === "GRADIENT_IN"
        ? await this.#evaluateUpload(record, assignment, worker)
        : { ok: false as const, message: assignment.missedReason ?? "no gradient by the deadline" };
      if (!upload.ok) {
        results.set(assignment.uid, zeroScore(upload.message));
        continue;
      }
      const { scoreOwn, scoreHeld, gradNorm } = upload;
      const verdict = judgeUpload(scoreOwn, scoreHeld, rules);
      const finite = Number.isFinite(scoreOwn) && Number.isFinite(scoreHeld);
      if (verdict.accepted) acceptedUids.push(assignment.uid);
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
    const kept = (reason: string) => ({
      applied: false,
      versionAfter: this.#version,
      heldLossBefore,
      heldLossAfter: heldLossBefore,
      reason,
    });
    if (acceptedUids.length === 0) return { results, outcome: kept("no upload was accepted") };
    const version = record.modelVersion + 1;
    const proposal = await worker.propose(acceptedUids, version, held);
    const applied = {
      applied: true,
      versionAfter: version,
      heldLossBefore,
      heldLossAfter: proposal.heldLoss,
    };
    // A restart after publishing finds this round's proposal already out.
    if (this.#version === version && await this.#published(version, proposal.bytes)) {
      return { results, outcome: applied };
    }
    if (this.#version !== record.modelVersion) {
      return {
        results,
        outcome: kept(`the model moved to v${this.#version} while the round was open`),
      };
    }
    await options.store.put(
      proposalKey(options.scope, options.validatorUid, record.round),
      proposal.bytes,
    );
    if (!rules.warmup && !(proposal.heldLoss < heldLossBefore)) {
      return {
        results,
        outcome: kept(
          `rolled back: the proposal did not lower the held-out loss (${
            heldLossBefore.toFixed(4)
          } → ${proposal.heldLoss.toFixed(4)})`,
        ),
      };
    }
    const model = new GenTrxModel(this.#model.config, proposal.parameters);
    await publishVersion(
      options.store,
      options.scope,
      options.validatorUid,
      version,
      proposal.bytes,
      model,
    );
    this.#model = model;
    this.#version = version;
    return { results, outcome: applied };
  }

  /** Reads an upload (size checked before downloading, τaos ≤ 20 MB, taos.md §6.4) and evaluates it. */
  async #evaluateUpload(
    record: RoundRecord,
    assignment: Assignment,
    worker: RoundWorker,
  ): Promise<UploadEvaluation> {
    let bytes;
    try {
      const store = await this.#minerStore(assignment.uid);
      const key = gradientKey(this.#options.scope, assignment.uid, record.round);
      const size = (await store.list(key)).find((o) => o.key === key)?.sizeBytes ?? 0;
      if (size > MAX_DELTA_BYTES) {
        throw new RangeError(`file is ${size} bytes, limit ${MAX_DELTA_BYTES}`);
      }
      bytes = await store.get(key);
      if (bytes === null) throw new RangeError("the upload disappeared");
    } catch (error) {
      return { ok: false, message: `rejected upload: ${(error as Error).message}` };
    }
    const evaluation = await worker.evaluateUpload(
      assignment.uid,
      bytes,
      assignment.pages,
      record.heldOutPages,
    );
    return evaluation.ok
      ? evaluation
      : { ok: false, message: `rejected upload: ${evaluation.message}` };
  }

  /** The model uploads of a round were trained from: the current one, or (after a restart) an older version. */
  async #modelAt(version: number): Promise<GenTrxModel> {
    if (version === this.#version) return this.#model;
    const options = this.#options;
    return (await loadPublishedModel(options.store, options.scope, options.validatorUid, version))!
      .model;
  }

  /** Whether `bytes` is the published delta of `version`. */
  async #published(version: number, bytes: Uint8Array): Promise<boolean> {
    const options = this.#options;
    const published = await options.store.get(
      publishedDeltaKey(options.scope, options.validatorUid, version),
    );
    return published !== null && published.length === bytes.length &&
      published.every((byte, i) => byte === bytes[i]);
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
      {
        ...record,
        outcome: {
          applied: false,
          versionAfter: this.#version,
          heldLossBefore: NaN,
          heldLossAfter: NaN,
          reason,
        },
      },
      scored,
      new Map(),
      { version: this.#version },
    );
    this.#options.log?.(`GenTRX round ${round} abandoned: ${reason}`);
  }

  /** τaos GET /scores?since_round: the newest scored round after `sinceRound`, or null. */
  async scores(sinceRound = -1): Promise<ScoresReply | null> {
    let record = await this.rounds.latestRound();
    while (record !== null && !record.scored && record.round > 0) {
      record = await this.rounds.round(record.round - 1);
    }
    if (record === null || !record.scored || record.round <= sinceRound) return null;
    const scores: ScoresReply["scores"] = {};
    let accepted = 0;
    for (const a of await this.rounds.assignments(record.round)) {
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

  /** Every UID's training EMA: what the scoring pools read as the training pool. */
  async trainingEmas(): Promise<Map<number, number>> {
    return await this.rounds.emas();
  }
}

function toWire(a: Assignment): GenTrxAssignment {
  return {
    round: a.round,
    uid: a.uid,
    modelVersion: a.modelVersion,
    pages: a.pages,
    tsStartNs: a.tsStartNs,
    tsEndNs: a.tsEndNs,
  };
}

/** An upload that earned nothing, and why. */
function zeroScore(reason: string): MinerScore {
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
