/**
 * The training worker's CPU backend: engine/gentrx/trainer.ts, the
 * plain-TypeScript forward, backward and AdamW step.
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { GenTrxModel, LossBreakdown } from "@/engine/gentrx/model.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import type { Parameters } from "@/engine/gentrx/parameters.ts";
import { Trainer } from "@/engine/gentrx/trainer.ts";
import type { TrainingBackend } from "@/workers/train/backend.ts";

export class CpuBackend implements TrainingBackend {
  readonly kind = "cpu";
  readonly #trainer: Trainer;

  /** Trains `model`'s own parameters in place. */
  constructor(model: GenTrxModel, options: AdamWOptions) {
    this.#trainer = new Trainer(model, options);
  }

  step(batch: ModelBatch): Promise<LossBreakdown> {
    return Promise.resolve(this.#trainer.step(batch));
  }

  parameters(): Promise<Parameters> {
    return Promise.resolve(this.#trainer.model.parameters);
  }

  release(): void {}
}
