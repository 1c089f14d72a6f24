/**
 * What the training worker does with each message (workers/train_worker.ts
 * only dispatches here): load the checkpoint and rows a "start" carries,
 * pick the backend, run the training, and answer "stop" and "checkpoint".
 *
 * @module
 */
import { decodeCheckpoint, encodeCheckpoint } from "@/engine/gentrx/checkpoint.ts";
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { parameterCount } from "@/engine/gentrx/parameters.ts";
import { TAOS_ADAMW_OPTIONS } from "@/engine/gentrx/trainer.ts";
import {
  type FromTrainer,
  PROTOCOL_VERSION,
  type ToTrainer,
  type TrainingSettings,
} from "@/workers/protocol.ts";
import { createBackend, type TrainingBackend } from "@/workers/train/backend.ts";
import { unpackRows } from "@/workers/train/packed_rows.ts";
import { TrainingRun } from "@/workers/train/training_run.ts";
import { WindowSampler } from "@/workers/train/window_sampler.ts";

/** Posts a message to the page, moving the `transfer` buffers instead of copying them. */
export type PostToPage = (message: FromTrainer, transfer?: Transferable[]) => void;

type StartMessage = Extract<ToTrainer, { type: "start" }>;

/** Throws naming the first setting a run cannot use with `config`. */
export function validateSettings(settings: TrainingSettings, config: GenTrxConfig): void {
  const { budgetMs, learningRate, seqLen, backend } = settings;
  if (!(Number.isFinite(budgetMs) && budgetMs > 0)) {
    throw new RangeError(`Invalid training settings: budgetMs is ${budgetMs}, expected > 0`);
  }
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new RangeError(
      `Invalid training settings: learningRate is ${learningRate}, expected > 0`,
    );
  }
  const { maxSteps } = settings;
  if (maxSteps !== undefined && !(Number.isInteger(maxSteps) && maxSteps >= 1)) {
    throw new RangeError(
      `Invalid training settings: maxSteps is ${maxSteps}, expected an integer ≥ 1`,
    );
  }
  if (seqLen > config.contextLength) {
    throw new RangeError(
      `Invalid training settings: seqLen is ${seqLen}, the model's context is ${config.contextLength}`,
    );
  }
  if (!["auto", "cpu", "webgpu"].includes(backend)) {
    throw new RangeError(
      `Invalid training settings: backend is ${
        JSON.stringify(backend)
      }, expected "auto", "cpu" or "webgpu"`,
    );
  }
}

export class TrainerHost {
  readonly #post: PostToPage;
  #config: GenTrxConfig | null = null;
  #backend: TrainingBackend | null = null;
  #run: TrainingRun | null = null;
  #steps = 0;

  constructor(post: PostToPage) {
    this.#post = post;
  }

  /** Loads the model and rows, then trains until the budget is spent or a stop arrives. */
  async start({ checkpoint, rows, settings }: StartMessage): Promise<void> {
    if (this.#run !== null) throw new Error("Cannot start training: a run is in progress");
    const model = decodeCheckpoint(new Uint8Array(checkpoint));
    validateSettings(settings, model.config);
    const sampler = new WindowSampler(
      unpackRows(rows, model.config.tokenizer),
      model.config.tokenizer,
      settings,
    );
    this.#backend?.release();
    this.#backend = null;
    const backend = await createBackend(settings.backend, model, {
      ...TAOS_ADAMW_OPTIONS,
      lr: settings.learningRate,
    });
    this.#backend = backend;
    this.#config = model.config;
    this.#steps = 0;
    this.#post({
      v: PROTOCOL_VERSION,
      type: "started",
      backend: backend.kind,
      parameters: parameterCount(model.config),
    });
    const run = new TrainingRun(backend, sampler, settings.budgetMs, (progress) => {
      this.#steps = progress.step;
      this.#post({ v: PROTOCOL_VERSION, type: "progress", progress });
    }, settings.maxSteps);
    this.#run = run;
    try {
      const outcome = await run.run();
      this.#post({ v: PROTOCOL_VERSION, type: "finished", ...outcome });
    } finally {
      this.#run = null;
    }
  }

  /** Ends the current run after its step in progress. */
  stop(): void {
    this.#run?.stop();
  }

  /** Posts the current weights as checkpoint bytes, transferred. */
  async checkpoint(): Promise<void> {
    if (this.#backend === null || this.#config === null) {
      throw new Error('Cannot send a checkpoint: no model is loaded (send "start" first)');
    }
    const bytes = encodeCheckpoint(
      new GenTrxModel(this.#config, await this.#backend.parameters()),
    );
    const buffer = bytes.buffer as ArrayBuffer;
    this.#post(
      { v: PROTOCOL_VERSION, type: "checkpoint", checkpoint: buffer, steps: this.#steps },
      [buffer],
    );
  }

  /** Stops training and frees the backend. */
  close(): void {
    this.#run?.stop();
    this.#backend?.release();
    this.#backend = null;
  }
}
