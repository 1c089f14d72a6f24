/**
 * One training run: steps on sampled batches until the time budget is spent
 * or a stop is asked for, reporting each step's loss and the throughput so
 * far. Between steps it yields to the event loop, so a worker running it
 * still receives "stop" and "checkpoint" messages.
 *
 * @module
 */
import type { TrainingProgress } from "@/workers/protocol.ts";
import type { TrainingBackend } from "@/workers/train/backend.ts";
import type { WindowSampler } from "@/workers/train/window_sampler.ts";

const MS_PER_S = 1000;

/** Resolves after pending messages and timers have had their turn. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface RunOutcome {
  steps: number;
  reason: "budget" | "stopped";
}

export class TrainingRun {
  readonly #backend: TrainingBackend;
  readonly #sampler: WindowSampler;
  readonly #budgetMs: number;
  readonly #onProgress: (progress: TrainingProgress) => void;
  #stopRequested = false;

  constructor(
    backend: TrainingBackend,
    sampler: WindowSampler,
    budgetMs: number,
    onProgress: (progress: TrainingProgress) => void,
  ) {
    this.#backend = backend;
    this.#sampler = sampler;
    this.#budgetMs = budgetMs;
    this.#onProgress = onProgress;
  }

  /** Ends the run after the step in progress. */
  stop(): void {
    this.#stopRequested = true;
  }

  /** Trains until the budget is spent or `stop` is called. */
  async run(): Promise<RunOutcome> {
    const started = performance.now();
    let steps = 0;
    let tokens = 0;
    while (!this.#stopRequested && performance.now() - started < this.#budgetMs) {
      const batch = this.#sampler.next();
      const loss = await this.#backend.step(batch);
      steps++;
      tokens += batch.batch * batch.seqLen;
      const elapsedMs = performance.now() - started;
      this.#onProgress({
        step: steps,
        loss: loss.total,
        fieldLosses: loss.fields,
        tokensPerS: tokens / (elapsedMs / MS_PER_S),
        elapsedMs,
      });
      await nextTask();
    }
    return { steps, reason: this.#stopRequested ? "stopped" : "budget" };
  }
}
