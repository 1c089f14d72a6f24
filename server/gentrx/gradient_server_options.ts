/**
 * How a GradientServer is set up: its stores, its model, and the round
 * rules with τaos's defaults (taos.md §6.3–6.4). One place for the options,
 * so each piece of the server (upload_intake.ts, round_plan.ts,
 * aggregator_model.ts) takes just the fields it reads from them.
 *
 * @module
 */
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import type { DataKeyScope } from "@/engine/gentrx/store/data_keys.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import type { TrainingData } from "@/server/gentrx/training_data.ts";

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

/** The options with every default filled in. */
export type ResolvedGradientServerOptions = GradientServerOptions & typeof DEFAULTS;

/** `options` over τaos's defaults. */
export function withDefaults(options: GradientServerOptions): ResolvedGradientServerOptions {
  return { ...DEFAULTS, ...options };
}
