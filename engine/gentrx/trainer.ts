/**
 * AdamW training of a GenTRX model on the CPU: one `step` per batch, with the
 * optimiser's moments kept per named tensor. τaos trains with lr 1e-4
 * (taos.md §6.1, §6.3); the other settings are PyTorch's `AdamW` defaults.
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { GenTrxModel, LossBreakdown } from "@/engine/gentrx/model.ts";
import { type AdamWOptions, adamwStep } from "@/engine/gentrx/ops/adamw.ts";
import { type Parameters, zerosLike } from "@/engine/gentrx/parameters.ts";

/** lr from taos.md §6.3 ("lr 1e-4"); betas, eps and weight decay from `torch.optim.AdamW`. */
export const TAOS_ADAMW_OPTIONS: AdamWOptions = {
  lr: 1e-4,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0.01,
};

export class Trainer {
  readonly model: GenTrxModel;
  readonly options: AdamWOptions;
  readonly #firstMoments: Parameters;
  readonly #secondMoments: Parameters;
  #steps = 0;

  constructor(model: GenTrxModel, options: AdamWOptions = TAOS_ADAMW_OPTIONS) {
    this.model = model;
    this.options = options;
    this.#firstMoments = zerosLike(model.parameters);
    this.#secondMoments = zerosLike(model.parameters);
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.#steps;
  }

  /** One AdamW step on `batch`; returns the loss before the step. */
  step(batch: ModelBatch): LossBreakdown {
    const { loss, gradients } = this.model.lossAndGradients(batch);
    this.#steps++;
    for (const [name, values] of this.model.parameters) {
      adamwStep(
        values,
        gradients.get(name)!,
        this.#firstMoments.get(name)!,
        this.#secondMoments.get(name)!,
        this.#steps,
        this.options,
      );
    }
    return loss;
  }
}
