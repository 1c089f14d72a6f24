/**
 * The compute of scoring one GenTRX round on its base model (taos.md §6.4):
 * the base's held-out loss, each upload's loss improvement on its miner's
 * pages (`score_own`) and on the forward held-out pages (`score_held`), and
 * the proposal — the mean of the accepted deltas, encoded as it will be
 * published — with its held-out loss. No store, no KV, no decisions: the
 * GradientServer fetches the bytes and judges the figures, and runs this in
 * round_worker.ts so the forward passes stay off the validator's thread.
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import { decodeDelta, type ModelDelta } from "@/engine/gentrx/compression/delta_codec.ts";
import { applyDelta, meanLoss, modelShapes } from "@/engine/gentrx/compression/miner_delta.ts";
import type { GenTrxModel } from "@/engine/gentrx/model.ts";
import type { Parameters } from "@/engine/gentrx/parameters.ts";
import { publishableDelta } from "@/engine/gentrx/store/published_model.ts";
import { decodeTrainingPage, pagesToBatches } from "@/engine/gentrx/store/training_page.ts";

/** How pages are cut into scoring batches (the server's seqLen and batchSize). */
export interface BatchShape {
  seqLen: number;
  batchSize: number;
}

/** An upload's loss improvements, or why it could not be read. */
export type UploadEvaluation =
  | { ok: true; scoreOwn: number; scoreHeld: number; gradNorm: number }
  | { ok: false; message: string };

/** The mean of the accepted deltas as published, and the model it makes. */
export interface Proposal {
  /** The lossless published encoding (published_model.ts `publishableDelta`). */
  bytes: Uint8Array;
  heldLoss: number;
  parameters: Parameters;
}

export class RoundEvaluator {
  readonly #base: GenTrxModel;
  readonly #modelVersion: number;
  readonly #batch: BatchShape;
  readonly #pageBytes = new Map<string, Uint8Array>();
  readonly #batches = new Map<string, ModelBatch[]>();
  readonly #baseLosses = new Map<string, number>();
  /** Decoded uploads by UID, kept for the proposal. */
  readonly #deltas = new Map<number, ModelDelta>();

  /** Scores uploads trained from `base`, version `modelVersion`. */
  constructor(base: GenTrxModel, modelVersion: number, batch: BatchShape) {
    this.#base = base;
    this.#modelVersion = modelVersion;
    this.#batch = batch;
  }

  /** Pages the next calls name by key; decoded when first used. */
  addPages(pages: readonly { key: string; bytes: Uint8Array }[]): void {
    for (const { key, bytes } of pages) this.#pageBytes.set(key, bytes);
  }

  /** The base model's mean loss on `pageKeys` (cached: the held-out baseline is shared). */
  async baseLoss(pageKeys: readonly string[]): Promise<number> {
    const cacheKey = pageKeys.join("|");
    const cached = this.#baseLosses.get(cacheKey);
    if (cached !== undefined) return cached;
    const loss = meanLoss(this.#base, await this.#batchesOf(pageKeys));
    this.#baseLosses.set(cacheKey, loss);
    return loss;
  }

  /**
   * Decodes `bytes` (checked against the base's version and shapes), applies
   * it and measures: score_own = loss before − after on `ownPages`,
   * score_held = the same on `heldPages`. An upload that does not decode is
   * `ok: false`; a page that cannot be used throws.
   */
  async evaluateUpload(
    uid: number,
    bytes: Uint8Array,
    ownPages: readonly string[],
    heldPages: readonly string[],
  ): Promise<UploadEvaluation> {
    let delta: ModelDelta;
    try {
      delta = decodeDelta(bytes, {
        modelVersion: this.#modelVersion,
        shapes: modelShapes(this.#base.config),
      });
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
    const heldBefore = await this.baseLoss(heldPages);
    const ownBefore = await this.baseLoss(ownPages);
    const candidate = applyDelta(this.#base, delta);
    const scoreOwn = ownBefore - meanLoss(candidate, await this.#batchesOf(ownPages));
    const scoreHeld = heldBefore - meanLoss(candidate, await this.#batchesOf(heldPages));
    this.#deltas.set(uid, delta);
    return { ok: true, scoreOwn, scoreHeld, gradNorm: norm(delta) };
  }

  /**
   * The mean of the evaluated uploads of `uids` (in that order), encoded for
   * publishing as `version`, applied to the base as readers will apply it,
   * and its loss on `heldPages`.
   */
  async propose(
    uids: readonly number[],
    version: number,
    heldPages: readonly string[],
  ): Promise<Proposal> {
    const deltas = uids.map((uid) => {
      const delta = this.#deltas.get(uid);
      if (delta === undefined) throw new RangeError(`Cannot propose: uid ${uid} was not evaluated`);
      return delta;
    });
    if (deltas.length === 0) throw new RangeError("Cannot propose: no accepted deltas");
    const { bytes, decoded } = publishableDelta(meanDelta(deltas), version);
    const candidate = applyDelta(this.#base, decoded);
    const heldLoss = meanLoss(candidate, await this.#batchesOf(heldPages));
    return { bytes, heldLoss, parameters: candidate.parameters };
  }

  async #batchesOf(keys: readonly string[]): Promise<ModelBatch[]> {
    const cacheKey = keys.join("|");
    const cached = this.#batches.get(cacheKey);
    if (cached) return cached;
    const pages = [];
    for (const key of keys) {
      const bytes = this.#pageBytes.get(key);
      if (bytes === undefined) throw new RangeError(`Cannot score: page "${key}" was not sent`);
      pages.push(await decodeTrainingPage(bytes));
    }
    const batches = pagesToBatches(pages, this.#base.config.tokenizer, this.#batch);
    if (batches.length === 0) {
      throw new RangeError(`Cannot score: pages ${keys.join(", ")} hold no full batch`);
    }
    this.#batches.set(cacheKey, batches);
    return batches;
  }
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
