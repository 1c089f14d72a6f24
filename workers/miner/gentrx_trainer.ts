/**
 * A browser miner's GenTRX round (taos.md §6.3 "Miner work"), run from the
 * agent worker: read the assignment's model version and pages from the
 * validator's bucket, train in the same training worker /train uses
 * (workers/train_worker.ts: WebGPU when the browser gives an adapter, the
 * CPU reference otherwise), take Δθ from its checkpoint, compress it with
 * error feedback and PUT it to the tab's own S3 bucket with aws4fetch.
 * At the deadline the training worker is terminated and nothing is
 * uploaded (τaos: a missing gradient scores 0, a late one too).
 *
 * The headless miner does the same round on the CPU with
 * engine/gentrx/store/miner_work.ts; here the training steps run in
 * workers/train/ so a GPU does them when there is one.
 *
 * @module
 */
import type { GenTrxAssignFrame } from "@/engine/gateway/frames.ts";
import type { GenTrxTrain } from "@/engine/gentrx/gentrx_responder.ts";
import { decodeCheckpoint, encodeCheckpoint } from "@/engine/gentrx/checkpoint.ts";
import { encodeDelta, ErrorFeedback } from "@/engine/gentrx/compression/delta_codec.ts";
import { deltaBetween } from "@/engine/gentrx/compression/miner_delta.ts";
import { midPriceTicks } from "@/engine/gentrx/order_flow.ts";
import { MAX_LOCATION_CHARS, parseBucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import { gradientKey } from "@/engine/gentrx/store/data_keys.ts";
import { loadPublishedModel } from "@/engine/gentrx/store/published_model.ts";
import { S3ObjectStore, type S3ObjectStoreOptions } from "@/engine/gentrx/store/s3_object_store.ts";
import { decodeTrainingPage } from "@/engine/gentrx/store/training_page.ts";
import { type TokenizedRow, Tokenizer } from "@/engine/gentrx/tokenizer.ts";
import {
  type FromTrainer,
  PROTOCOL_VERSION,
  type ToTrainer,
  TRAIN_WORKER_URL,
  type TrainingBackendKind,
} from "@/workers/protocol.ts";
import { packRows } from "@/workers/train/packed_rows.ts";

/**
 * The round's training, sized like the headless miner's
 * (server/miner/gentrx_trainer.ts): the validator's scoring shape (seqLen
 * 16, batch 4) and a learning rate that shows in a few steps.
 */
export const BROWSER_ROUND = { steps: 8, seqLen: 16, batch: 4, learningRate: 3e-3 };
/** Time kept back from the deadline for compressing and uploading, ms. */
export const UPLOAD_MARGIN_MS = 1_500;

/** What the tab reports while it works a round (workers/miner/gentrx_tracker.ts). */
export type GenTrxRoundState =
  | "loading"
  | "training"
  | "uploading"
  | "uploaded"
  | "skipped"
  | "failed";

export interface BrowserTrainerEvents {
  onState(round: number, state: GenTrxRoundState, detail?: string): void;
  onBackend(backend: TrainingBackendKind): void;
  onLoss(round: number, step: number, loss: number): void;
}

export interface BrowserTrainerOptions extends BrowserTrainerEvents {
  /** The tab's own bucket (write keys: they never leave the tab). */
  bucket: S3ObjectStoreOptions;
  /** Starts a training worker; default: the bundled workers/train_worker.ts. */
  startWorker?: () => Worker;
  now?: () => number;
}

export interface BrowserTrainer {
  train: GenTrxTrain;
  close(): void;
}

/** Reads a `gentrx_assign.data` location as a store; a browser reads S3 buckets only. */
function dataStore(assignment: GenTrxAssignFrame): S3ObjectStore {
  const location = parseBucketLocation(assignment.data, "gentrx_assign.data", {
    maxChars: MAX_LOCATION_CHARS,
    allowFolder: false,
  });
  if (location.kind !== "s3") throw new RangeError("Cannot read a folder from a browser");
  return new S3ObjectStore(location);
}

/** Each page tokenized on its own (as pagesToBatches does), one run of rows for the sampler. */
function tokenizePages(
  pages: Awaited<ReturnType<typeof decodeTrainingPage>>[],
  tokenizer: Tokenizer,
): TokenizedRow[] {
  return pages.flatMap((rows) => {
    const withMid = rows.findIndex((row) => midPriceTicks(row.bookAfter) !== undefined);
    return withMid < 0 ? [] : tokenizer.encode(rows[withMid].bookAfter, rows.slice(withMid + 1));
  });
}

export function createBrowserTrainer(options: BrowserTrainerOptions): BrowserTrainer {
  const now = options.now ?? Date.now;
  const startWorker = options.startWorker ??
    (() => new Worker(TRAIN_WORKER_URL, { type: "module" }));
  const uploadStore = new S3ObjectStore(options.bucket);
  // Error feedback carries what compression dropped into the next round, as τaos's miners do.
  const feedback = new ErrorFeedback();
  let worker: Worker | null = null;
  let stopCurrent: ((why: Error) => void) | null = null;

  /** Trains `checkpoint` on `rows` in the worker; resolves to the trained checkpoint. */
  function trainInWorker(
    round: number,
    message: Extract<ToTrainer, { type: "start" }>,
    transfer: Transferable[],
    deadlineMs: number,
  ): Promise<Uint8Array> {
    const current = worker ??= startWorker();
    const { promise, resolve, reject } = Promise.withResolvers<Uint8Array>();
    const timer = setTimeout(() => {
      // Whatever the worker is doing, the round is over: stop it, upload nothing.
      finish();
      current.terminate();
      if (worker === current) worker = null;
      reject(new RangeError(`Round ${round} stopped at its deadline; nothing uploaded`));
    }, Math.max(0, deadlineMs - now()));
    const finish = () => {
      clearTimeout(timer);
      current.removeEventListener("message", listen);
      stopCurrent = null;
    };
    stopCurrent = (why) => {
      finish();
      reject(why);
    };
    const listen = ({ data }: MessageEvent<FromTrainer>) => {
      switch (data.type) {
        case "started":
          options.onBackend(data.backend);
          break;
        case "progress":
          options.onLoss(round, data.progress.step, data.progress.loss);
          break;
        case "finished":
          current.postMessage({ v: PROTOCOL_VERSION, type: "checkpoint" } satisfies ToTrainer);
          break;
        case "checkpoint":
          finish();
          resolve(new Uint8Array(data.checkpoint));
          break;
        case "error":
          finish();
          reject(new Error(`The training worker failed: ${data.message}`));
      }
    };
    current.addEventListener("message", listen);
    current.postMessage(message, transfer);
    return promise;
  }

  const train: GenTrxTrain = async (assignment) => {
    const { round, deadlineMs } = assignment;
    const scope = { network: assignment.network, source: assignment.source };
    const checkDeadline = (stage: string) => {
      if (now() >= deadlineMs - UPLOAD_MARGIN_MS) {
        throw new RangeError(`Cannot finish round ${round} in time: ${stage}`);
      }
    };
    try {
      options.onState(round, "loading");
      const store = dataStore(assignment);
      const published = await loadPublishedModel(store, scope, assignment.aggregatorUid);
      if (published === null || published.version !== assignment.modelVersion) {
        throw new RangeError(
          `Cannot train round ${round}: the published model is v${
            published?.version ?? "none"
          }, the assignment wants v${assignment.modelVersion}`,
        );
      }
      const pages = [];
      for (const key of assignment.pages) {
        const bytes = await store.get(key);
        if (bytes === null) {
          throw new RangeError(`Cannot train round ${round}: page "${key}" is missing`);
        }
        pages.push(await decodeTrainingPage(bytes));
      }
      const base = published.model;
      const rows = tokenizePages(pages, new Tokenizer(base.config.tokenizer));
      const { packed, transfer } = packRows(rows, base.config.tokenizer);
      checkDeadline("the deadline passed while loading; nothing uploaded");
      options.onState(round, "training");
      const checkpoint = encodeCheckpoint(base).buffer as ArrayBuffer;
      const trained = decodeCheckpoint(
        await trainInWorker(
          round,
          {
            v: PROTOCOL_VERSION,
            type: "start",
            checkpoint,
            rows: packed,
            settings: {
              budgetMs: Math.max(1, deadlineMs - UPLOAD_MARGIN_MS - now()),
              maxSteps: BROWSER_ROUND.steps,
              batch: BROWSER_ROUND.batch,
              seqLen: BROWSER_ROUND.seqLen,
              learningRate: BROWSER_ROUND.learningRate,
              seed: round,
              backend: "auto",
            },
          },
          [checkpoint, ...transfer],
          deadlineMs - UPLOAD_MARGIN_MS,
        ),
      );
      checkDeadline("training ended after the deadline; the upload is skipped");
      options.onState(round, "uploading");
      const bytes = encodeDelta(deltaBetween(base, trained), {
        modelVersion: assignment.modelVersion,
        feedback,
        meta: { round, minerUid: assignment.uid },
      });
      const key = gradientKey(scope, assignment.uid, round);
      checkDeadline("compressing ended after the deadline; the upload is skipped");
      await uploadStore.put(key, bytes);
      options.onState(round, "uploaded", `${bytes.byteLength} bytes`);
      return { key, sizeBytes: bytes.byteLength };
    } catch (error) {
      const message = (error as Error).message;
      options.onState(round, error instanceof RangeError ? "skipped" : "failed", message);
      throw error;
    }
  };

  return {
    train,
    close() {
      stopCurrent?.(new Error("Stopped"));
      worker?.terminate();
      worker = null;
    },
  };
}
