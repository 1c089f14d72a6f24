/**
 * The miner's round of work and the server's use of it (taos.md §6.3–6.4):
 * train a copy of the current model on the assigned batches for a step
 * budget, take Δθ = θ_after − θ_before, and later add a decoded Δθ to a
 * model. `encodeDelta`/`decodeDelta` sit between the two.
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import { type Parameters, parameterSpecs } from "@/engine/gentrx/parameters.ts";
import { TAOS_ADAMW_OPTIONS, Trainer } from "@/engine/gentrx/trainer.ts";
import type { ModelDelta } from "@/engine/gentrx/compression/delta_codec.ts";

/** τaos scores on at most 10 batches (taos.md §6.4); the miner measures the same way. */
export const MAX_LOSS_BATCHES = 10;

/** Every tensor's shape for a config, by name. */
export function modelShapes(config: GenTrxConfig): Map<string, number[]> {
  return new Map([...parameterSpecs(config)].map(([name, { shape }]) => [name, shape]));
}

/** The mean total loss of `model` over the first `MAX_LOSS_BATCHES` of `batches`. */
export function meanLoss(model: GenTrxModel, batches: readonly ModelBatch[]): number {
  const used = batches.slice(0, MAX_LOSS_BATCHES);
  if (used.length === 0) throw new RangeError("Cannot measure loss: no batches");
  return used.reduce((sum, batch) => sum + model.loss(batch).total, 0) / used.length;
}

export interface TrainDeltaOptions {
  /** Optimiser steps; batches are used in turn, cycling if there are fewer. */
  steps: number;
  adamw?: AdamWOptions;
}

export interface TrainedDelta {
  delta: ModelDelta;
  stepsTrained: number;
  /** Mean loss on the batches before and after training. */
  lossBefore: number;
  lossAfter: number;
  /** The loss of each step's batch before that step. */
  lossTrajectory: number[];
}

/** Copies a model's parameters (the base is never modified). */
export function cloneModel(model: GenTrxModel): GenTrxModel {
  const parameters: Parameters = new Map(
    [...model.parameters].map(([name, values]) => [name, Float32Array.from(values)]),
  );
  return new GenTrxModel(model.config, parameters);
}

/**
 * θ_after − θ_before for two models of one config, e.g. a published model
 * and its copy trained elsewhere (the browser's training worker).
 */
export function deltaBetween(base: GenTrxModel, trained: GenTrxModel): ModelDelta {
  const values: Parameters = new Map();
  for (const [name, before] of base.parameters) {
    const after = trained.parameters.get(name);
    if (after === undefined || after.length !== before.length) {
      throw new RangeError(
        `Cannot take a delta: tensor "${name}" has ${
          after?.length ?? 0
        } values, expected ${before.length}`,
      );
    }
    const delta = new Float32Array(after.length);
    for (let i = 0; i < delta.length; i++) delta[i] = after[i] - before[i];
    values.set(name, delta);
  }
  return { values, shapes: modelShapes(base.config) };
}

/** Trains a copy of `base` and returns θ_after − θ_before with the loss figures. */
export function trainDelta(
  base: GenTrxModel,
  batches: readonly ModelBatch[],
  options: TrainDeltaOptions,
): TrainedDelta {
  if (batches.length === 0) throw new RangeError("Cannot train a delta: no batches");
  if (!Number.isInteger(options.steps) || options.steps < 1) {
    throw new RangeError(
      `Cannot train a delta: steps is ${options.steps}, expected an integer ≥ 1`,
    );
  }
  const trainer = new Trainer(cloneModel(base), options.adamw ?? TAOS_ADAMW_OPTIONS);
  const lossBefore = meanLoss(base, batches);
  const lossTrajectory: number[] = [];
  for (let step = 0; step < options.steps; step++) {
    lossTrajectory.push(trainer.step(batches[step % batches.length]).total);
  }
  const trained = trainer.model;
  return {
    delta: deltaBetween(base, trained),
    stepsTrained: options.steps,
    lossBefore,
    lossAfter: meanLoss(trained, batches),
    lossTrajectory,
  };
}

/**
 * A new model with `scale`·delta added to `model`'s parameters; the delta
 * must hold exactly the model's tensors and shapes. `model` is unchanged,
 * so a server can evaluate and roll back by dropping the result.
 */
export function applyDelta(model: GenTrxModel, delta: ModelDelta, scale = 1): GenTrxModel {
  if (!Number.isFinite(scale)) throw new RangeError(`Cannot apply delta: scale is ${scale}`);
  const specs = parameterSpecs(model.config);
  for (const name of delta.values.keys()) {
    if (!specs.has(name)) {
      throw new RangeError(`Cannot apply delta: tensor "${name}" is not in the model`);
    }
  }
  const parameters: Parameters = new Map();
  for (const [name, { shape }] of specs) {
    const values = delta.values.get(name);
    const sent = delta.shapes.get(name);
    if (values === undefined) {
      throw new RangeError(`Cannot apply delta: tensor "${name}" is missing`);
    }
    if (
      sent === undefined || sent.length !== shape.length || sent.some((n, i) => n !== shape[i]) ||
      values.length !== model.parameters.get(name)!.length
    ) {
      throw new RangeError(
        `Cannot apply delta: tensor "${name}" has shape [${sent}], the model's is [${shape}]`,
      );
    }
    const updated = Float32Array.from(model.parameters.get(name)!);
    for (let i = 0; i < updated.length; i++) updated[i] += scale * values[i];
    parameters.set(name, updated);
  }
  return new GenTrxModel(model.config, parameters);
}
