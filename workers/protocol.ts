/**
 * The typed, versioned messages between pages and web workers. Every
 * message carries the protocol version `v`, so a page and a worker bundle
 * from different deployments fail loudly instead of misreading each other.
 *
 * @module
 */
import type { Field } from "@/engine/gentrx/tokenizer.ts";

export const PROTOCOL_VERSION = 1;

/** The parts of a dedicated worker's global scope the workers use. */
export interface WorkerScope<In, Out> {
  postMessage(message: Out): void;
  addEventListener(type: "message", listener: (event: MessageEvent<In>) => void): void;
  close(): void;
}

/** The "error" message every worker protocol has. */
export interface WorkerError<V extends number = number> {
  v: V;
  type: "error";
  message: string;
}

/**
 * Serves a worker's messages from its page: each one of protocol `version`
 * goes to `handle`; a message of another version, or a handler that throws
 * or rejects, is answered with an "error" message naming what went wrong —
 * so a page never waits on a worker that silently failed.
 */
export function serveMessages<In extends { v: number }, V extends number>(
  scope: {
    postMessage(message: WorkerError<V>): void;
    addEventListener(type: "message", listener: (event: MessageEvent<In>) => void): void;
  },
  version: V,
  handle: (message: In) => void | Promise<void>,
): void {
  const report = (error: unknown) =>
    scope.postMessage({
      v: version,
      type: "error",
      message: error instanceof Error ? error.message : String(error),
    });
  scope.addEventListener("message", ({ data }) => {
    if (data?.v !== version) {
      report(`Cannot read message: protocol version ${data?.v}, expected ${version}`);
      return;
    }
    try {
      Promise.resolve(handle(data)).catch(report);
    } catch (error) {
      report(error);
    }
  });
}

/** Where the bundled GenTRX training worker is served (workers/train_worker.ts). */
export const TRAIN_WORKER_URL = "/_islands/workers/train_worker.js";

/** Where a training step runs: plain TypeScript, or the WGSL kernels of workers/gentrx/. */
export type TrainingBackendKind = "cpu" | "webgpu";
/** "auto" takes WebGPU when `navigator.gpu` gives an adapter, the CPU otherwise. */
export type TrainingBackendChoice = "auto" | TrainingBackendKind;

/**
 * Tokenized training rows (engine/gentrx/tokenizer.ts `TokenizedRow`) as
 * flat arrays, so they cross to the worker as transferred buffers: row r's
 * five field tokens (in `FIELDS` order) at int32 [5r, 5r + 5), its mid-delta
 * row at int32 [r], its conditioning at float32 [r·w, (r + 1)·w) with w the
 * tokenizer's `conditionSize`.
 */
export interface PackedRows {
  count: number;
  tokens: ArrayBuffer;
  midDeltaIds: ArrayBuffer;
  conditions: ArrayBuffer;
}

export interface TrainingSettings {
  /** Wall-clock time to train for, in milliseconds. */
  budgetMs: number;
  /** Steps to stop after, if the budget lasts (a GenTRX round's fixed work); none: the budget alone. */
  maxSteps?: number;
  /** Sequences per step. */
  batch: number;
  /** Positions per sequence (each window holds seqLen + 1 rows). */
  seqLen: number;
  learningRate: number;
  /** Seeds the choice of training windows. */
  seed: number;
  backend: TrainingBackendChoice;
}

/** One training step's outcome. */
export interface TrainingProgress {
  step: number;
  /** τaos's weighted total loss before the step (taos.md §6.1). */
  loss: number;
  fieldLosses: Record<Field, number>;
  /** Positions trained per second over the run so far. */
  tokensPerS: number;
  elapsedMs: number;
}

/** Page → training worker. `checkpoint` is engine/gentrx/checkpoint.ts bytes. */
export type ToTrainer =
  | {
    v: typeof PROTOCOL_VERSION;
    type: "start";
    checkpoint: ArrayBuffer;
    rows: PackedRows;
    settings: TrainingSettings;
  }
  | { v: typeof PROTOCOL_VERSION; type: "stop" }
  | { v: typeof PROTOCOL_VERSION; type: "checkpoint" }
  | { v: typeof PROTOCOL_VERSION; type: "close" };

/** Training worker → page. */
export type FromTrainer =
  | {
    v: typeof PROTOCOL_VERSION;
    type: "started";
    backend: TrainingBackendKind;
    parameters: number;
  }
  | { v: typeof PROTOCOL_VERSION; type: "progress"; progress: TrainingProgress }
  | {
    v: typeof PROTOCOL_VERSION;
    type: "finished";
    steps: number;
    reason: "budget" | "steps" | "stopped";
  }
  | { v: typeof PROTOCOL_VERSION; type: "checkpoint"; checkpoint: ArrayBuffer; steps: number }
  | { v: typeof PROTOCOL_VERSION; type: "error"; message: string };
