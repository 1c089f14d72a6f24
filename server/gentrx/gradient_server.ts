/**
 * The GenTRX gradient server (taos.md §6.3–6.4): opens rounds over the
 * stored pages, assigns pages to miners, collects their compressed deltas,
 * scores each by loss improvement on its own pages and on forward held-out
 * books, rank-normalises the accepted scores into a per-UID EMA, averages
 * the accepted deltas into a proposal and — as the aggregator — applies it
 * if the held-out loss falls (else rolls back), publishing the delta and
 * periodic checkpoints.
 *
 * Round state lives in Deno KV (round_store.ts), the model in the object
 * store (published_model.ts): a server reopened on the same KV and store
 * carries on the round where it stopped.
 *
 * @module
 */
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import {
  decodeDelta,
  MAX_DELTA_BYTES,
  type ModelDelta,
} from "@/engine/gentrx/compression/delta_codec.ts";
import { applyDelta, meanLoss, modelShapes } from "@/engine/gentrx/compression/miner_delta.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import { type DataKeyScope, gradientKey, proposalKey } from "@/engine/gentrx/store/data_keys.ts";
import type { GenTrxAssignment } from "@/engine/gentrx/store/miner_work.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import {
  loadPublishedModel,
  publishableDelta,
  publishInitial,
  publishVersion,
} from "@/engine/gentrx/store/published_model.ts";
import { decodeTrainingPage, pagesToBatches } from "@/engine/gentrx/store/training_page.ts";
import { heldOutSplit } from "@/server/gentrx/held_out.ts";
import { nextEma, rankNormalise } from "@/server/gentrx/round_scoring.ts";
import {
  type Assignment,
  type MinerScore,
  type RoundRecord,
  RoundStore,
} from "@/server/gentrx/round_store.ts";
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
  applied: boolean;
  held_loss_before: number;
  held_loss_after: number;
}

export class GradientServer {
  readonly rounds: RoundStore;
  readonly #options: GradientServerOptions & typeof DEFAULTS;
  #model: GenTrxModel;
  #version: number;
  readonly #batchCache = new Map<string, ModelBatch[]>();

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

  /** Scores the round, aggregates, applies or rolls back, publishes. */
  async score(round: number): Promise<ScoresReply> {
    const record = await this.rounds.round(round);
    if (record === null) throw new RangeError(`Unknown GenTRX round ${round}`);
    if (record.scored) return (await this.scores(round - 1))!;
    const options = this.#options;
    const warmup = round <= options.warmupRounds;
    const assignments = await this.rounds.assignments(round);
    const base = this.#model;
    const heldBatches = await this.#batches(record.heldOutPages);
    const heldLossBefore = meanLoss(base, heldBatches);
    const shapes = modelShapes(base.config);
    const results = new Map<number, MinerScore>();
    const acceptedDeltas: ModelDelta[] = [];
    for (const assignment of assignments) {
      const zero = (reason: string): MinerScore => ({
        score: 0,
        scoreOwn: 0,
        scoreHeld: 0,
        overfitting: false,
        accepted: false,
        reason,
        normalised: 0,
        ema: 0,
        gradNorm: 0,
      });
      if (assignment.state !== "GRADIENT_IN") {
        results.set(assignment.uid, zero(assignment.missedReason ?? "no gradient by the deadline"));
        continue;
      }
      let delta;
      try {
        const store = await this.#minerStore(assignment.uid);
        const key = gradientKey(options.scope, assignment.uid, round);
        // The listed size is checked before downloading (τaos: ≤ 20 MB, taos.md §6.4).
        const size = (await store.list(key)).find((o) => o.key === key)?.sizeBytes ?? 0;
        if (size > MAX_DELTA_BYTES) {
          throw new RangeError(`file is ${size} bytes, limit ${MAX_DELTA_BYTES}`);
        }
        const bytes = await store.get(key);
        if (bytes === null) throw new RangeError("the upload disappeared");
        delta = decodeDelta(bytes, { modelVersion: record.modelVersion, shapes });
      } catch (error) {
        results.set(assignment.uid, zero(`rejected upload: ${(error as Error).message}`));
        continue;
      }
      const candidate = applyDelta(base, delta);
      const own = await this.#batches(assignment.pages);
      const scoreOwn = meanLoss(base, own) - meanLoss(candidate, own);
      const scoreHeld = heldLossBefore - meanLoss(candidate, heldBatches);
      const finite = Number.isFinite(scoreOwn) && Number.isFinite(scoreHeld);
      const ownOk = !options.requireOwnImprovement || scoreOwn > 0;
      const accepted = finite && (warmup || (scoreHeld > options.acceptAbove && ownOk));
      const overfitting = finite && scoreOwn > options.overfitRatio * Math.max(scoreHeld, 0) &&
        scoreOwn > 0;
      if (accepted) acceptedDeltas.push(delta);
      results.set(assignment.uid, {
        score: finite ? scoreHeld : 0,
        scoreOwn: finite ? scoreOwn : 0,
        scoreHeld: finite ? scoreHeld : 0,
        overfitting,
        accepted,
        reason: accepted
          ? undefined
          : finite
          ? `held-out improvement ${scoreHeld.toFixed(4)} is not above ${options.acceptAbove}`
          : "non-finite loss",
        normalised: 0,
        ema: 0,
        gradNorm: norm(delta),
      });
    }
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
    // Aggregate, evaluate, apply or roll back. A restart after publishing
    // finds the store ahead of this round's version: the proposal is in.
    let applied = false;
    let heldLossAfter = heldLossBefore;
    if (this.#version !== record.modelVersion) {
      applied = true;
      heldLossAfter = meanLoss(this.#model, heldBatches);
    } else if (acceptedDeltas.length > 0) {
      const proposal = meanDelta(acceptedDeltas);
      const version = this.#version + 1;
      const { bytes, decoded } = publishableDelta(proposal, version);
      await options.store.put(proposalKey(options.scope, options.validatorUid, round), bytes);
      const candidate = applyDelta(base, decoded);
      const candidateLoss = meanLoss(candidate, heldBatches);
      if (warmup || candidateLoss < heldLossBefore) {
        await publishVersion(
          options.store,
          options.scope,
          options.validatorUid,
          version,
          bytes,
          candidate,
        );
        this.#model = candidate;
        this.#version = version;
        applied = true;
        heldLossAfter = candidateLoss;
      }
    }
    const scored = assignments.map((a): Assignment => ({
      ...a,
      state: a.state === "GRADIENT_IN" ? "SCORED" : "MISSED",
      missedReason: a.state === "GRADIENT_IN" ? undefined : results.get(a.uid)!.reason,
      score: results.get(a.uid)!,
    }));
    const outcome = { applied, versionAfter: this.#version, heldLossBefore, heldLossAfter };
    await this.rounds.finishRound({ ...record, outcome }, scored, emas, { version: this.#version });
    options.log?.(
      `GenTRX round ${round} scored: ${acceptedDeltas.length}/${assignments.length} accepted, ${
        applied ? `applied v${this.#version}` : "rolled back"
      }, held-out loss ${heldLossBefore.toFixed(4)} → ${heldLossAfter.toFixed(4)}`,
    );
    return (await this.scores(round - 1))!;
  }

  /**
   * Closes an open round without scoring it (its pages were wiped at the end
   * of a simulation): everyone scores 0 for it, EMAs and the model are kept.
   */
  async abandonRound(round: number, reason: string): Promise<void> {
    const record = await this.rounds.round(round);
    if (record === null || record.scored) return;
    const zero: MinerScore = {
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
    const emas = await this.rounds.emas();
    const scored = (await this.rounds.assignments(round)).map((a): Assignment => ({
      ...a,
      state: "SCORED",
      score: { ...zero, ema: emas.get(a.uid) ?? 0 },
    }));
    await this.rounds.finishRound(
      {
        ...record,
        outcome: {
          applied: false,
          versionAfter: this.#version,
          heldLossBefore: NaN,
          heldLossAfter: NaN,
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
      held_loss_before: record.outcome?.heldLossBefore ?? NaN,
      held_loss_after: record.outcome?.heldLossAfter ?? NaN,
    };
  }

  /** Every UID's training EMA: what the scoring pools read as the training pool. */
  async trainingEmas(): Promise<Map<number, number>> {
    return await this.rounds.emas();
  }

  async #batches(keys: readonly string[]): Promise<ModelBatch[]> {
    const cacheKey = keys.join("|");
    const cached = this.#batchCache.get(cacheKey);
    if (cached) return cached;
    const pages = [];
    for (const key of keys) {
      const bytes = await this.#options.store.get(key);
      if (bytes === null) throw new RangeError(`Cannot score: page "${key}" is missing`);
      pages.push(await decodeTrainingPage(bytes));
    }
    const batches = pagesToBatches(pages, this.#model.config.tokenizer, this.#options);
    if (batches.length === 0) {
      throw new RangeError(`Cannot score: pages ${keys.join(", ")} hold no full batch`);
    }
    if (this.#batchCache.size > 64) this.#batchCache.clear();
    this.#batchCache.set(cacheKey, batches);
    return batches;
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

function norm(delta: ModelDelta): number {
  let sum = 0;
  for (const values of delta.values.values()) for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

/** The mean of accepted deltas (τaos's local aggregate). */
function meanDelta(deltas: readonly ModelDelta[]): ModelDelta {
  const values = new Map<string, Float32Array>();
  for (const [name, first] of deltas[0].values) {
    const sum = new Float32Array(first.length);
    for (const delta of deltas) {
      const v = delta.values.get(name)!;
      for (let i = 0; i < sum.length; i++) sum[i] += v[i] / deltas.length;
    }
    values.set(name, sum);
  }
  return { values, shapes: deltas[0].shapes };
}
