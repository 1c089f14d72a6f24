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
  reason: "budget" | "steps" | "stopped";
}

export class TrainingRun {
  readonly #backend: TrainingBackend;
  readonly #sampler: WindowSampler;
  readonly #budgetMs: number;
  readonly #onProgress: (progress: TrainingProgress) => void;
  readonly #maxSteps: number;
  #stopRequested = false;

  constructor(
    backend: TrainingBackend,
    sampler: WindowSampler,
    budgetMs: number,
    onProgress: (progress: TrainingProgress) => void,
    maxSteps = Infinity,
  ) {
    this.#backend = backend;
    this.#sampler = sampler;
    this.#budgetMs = budgetMs;
    this.#onProgress = onProgress;
    this.#maxSteps = maxSteps;
  }

  /** Ends the run after the step in progress. */
  stop(): void {
    this.#stopRequested = true;
  }

  /** Trains until the budget or the step limit is spent, or `stop` is called. */
  async run(): Promise<RunOutcome> {
    const started = performance.now();
    let steps = 0;
    let tokens = 0;
    while (
      !this.#stopRequested && steps < this.#maxSteps &&
      performance.now() - started < this.#budgetMs
    ) {
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
    const reason = this.#stopRequested ? "stopped" : steps >= this.#maxSteps ? "steps" : "budget";
    return { steps, reason };
  }
}
