/**
 * A miner's round of GenTRX work (taos.md §6.3 "Miner work"), browser-safe:
 * advance to the assignment's model version from the published checkpoint
 * and deltas, train on the assigned pages (newest first), compress Δθ with
 * error feedback and PUT it to `gradients/<uid>/<round:08d>.grad` in the
 * miner's bucket.
 *
 * @module
 */
import {
  type CodecOptions,
  encodeDelta,
  type ErrorFeedback,
} from "@/engine/gentrx/compression/delta_codec.ts";
import { trainDelta } from "@/engine/gentrx/compression/miner_delta.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import { type DataKeyScope, gradientKey } from "@/engine/gentrx/store/data_keys.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import { loadPublishedModel } from "@/engine/gentrx/store/published_model.ts";
import { decodeTrainingPage, pagesToBatches } from "@/engine/gentrx/store/training_page.ts";

/** What a miner is told to do (τaos GenTRXAssignment, the fields this pool uses). */
export interface GenTrxAssignment {
  round: number;
  uid: number;
  modelVersion: number;
  /** Object keys of the pages in the validator's bucket, newest first. */
  pages: string[];
  tsStartNs: number;
  tsEndNs: number;
}

export interface MinerWorkOptions {
  /** Where the validator's pages and the published model are read. */
  dataStore: ObjectStore;
  /** The miner's own bucket, where the delta goes. */
  uploadStore: ObjectStore;
  scope: DataKeyScope;
  /** The UID publishing the model (τaos uid 0). */
  aggregatorUid: number;
  steps: number;
  seqLen: number;
  batchSize: number;
  codec?: CodecOptions;
  feedback?: ErrorFeedback;
  adamw?: AdamWOptions;
  /**
   * Unix ms the upload must land by (the assignment's deadline): work that
   * cannot finish in time stops before uploading, with a RangeError.
   */
  deadlineMs?: number;
  now?: () => number;
}

export interface MinerWorkResult {
  key: string;
  uploadBytes: number;
  lossBefore: number;
  lossAfter: number;
  lossTrajectory: number[];
}

export async function runMinerWork(
  assignment: GenTrxAssignment,
  options: MinerWorkOptions,
): Promise<MinerWorkResult> {
  const checkDeadline = (stage: string) => {
    const late = (options.now ?? Date.now)() - (options.deadlineMs ?? Infinity);
    if (late >= 0) {
      throw new RangeError(
        `Cannot finish round ${assignment.round} in time: the deadline passed ${
          Math.round(late)
        } ms ago, ${stage}`,
      );
    }
  };
  checkDeadline("before starting");
  const published = await loadPublishedModel(
    options.dataStore,
    options.scope,
    options.aggregatorUid,
  );
  if (published === null || published.version !== assignment.modelVersion) {
    throw new RangeError(
      `Cannot train round ${assignment.round}: the published model is v${
        published?.version ?? "none"
      }, the assignment wants v${assignment.modelVersion}`,
    );
  }
  const pages = [];
  for (const key of assignment.pages) {
    const bytes = await options.dataStore.get(key);
    if (bytes === null) {
      throw new RangeError(`Cannot train round ${assignment.round}: page "${key}" is missing`);
    }
    pages.push(await decodeTrainingPage(bytes));
  }
  const batches = pagesToBatches(pages, published.model.config.tokenizer, options);
  checkDeadline("before training; nothing uploaded");
  const trained = trainDelta(published.model, batches, {
    steps: options.steps,
    adamw: options.adamw,
  });
  const bytes = encodeDelta(trained.delta, {
    modelVersion: assignment.modelVersion,
    codec: options.codec,
    feedback: options.feedback,
    meta: {
      round: assignment.round,
      minerUid: assignment.uid,
      stepsTrained: trained.stepsTrained,
      lossBefore: trained.lossBefore,
      lossAfter: trained.lossAfter,
    },
  });
  const key = gradientKey(options.scope, assignment.uid, assignment.round);
  checkDeadline("after training; the upload is skipped");
  await options.uploadStore.put(key, bytes);
  return {
    key,
    uploadBytes: bytes.byteLength,
    lossBefore: trained.lossBefore,
    lossAfter: trained.lossAfter,
    lossTrajectory: trained.lossTrajectory,
  };
}
