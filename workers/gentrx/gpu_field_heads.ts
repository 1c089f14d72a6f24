/**
 * The GenTRX output side on the GPU, forward and backward, as the CPU model
 * (engine/gentrx/model.ts) computes it: the final RMSNorm, then per field an
 * RMSNorm + linear head and a soft cross-entropy against the field's
 * targets, weighted by τaos's per-field loss weights (taos.md §6.1).
 *
 * @module
 */
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import { FIELD_LOSS_WEIGHTS, fieldTargets } from "@/engine/gentrx/loss.ts";
import { type Field, FIELDS, fieldSizes } from "@/engine/gentrx/tokenizer.ts";
import { addScaledGpu, copyScaledGpu } from "@/workers/gentrx/kernels/add.ts";
import {
  softmaxCrossEntropyBackwardGpu,
  softmaxCrossEntropyGpu,
} from "@/workers/gentrx/kernels/cross_entropy.ts";
import { matmulBackwardGpu, matmulGpu } from "@/workers/gentrx/kernels/matmul.ts";
import { rmsNormBackwardGpu, rmsNormGpu } from "@/workers/gentrx/kernels/rms_norm.ts";
import type { StepBuffers } from "@/workers/gentrx/step_buffers.ts";

/** A tensor's buffer (its value or its gradient) by parameter name, as in parameters.ts. */
export type TensorLookup = (name: string) => GPUBuffer;

interface HeadStep {
  normIn: GPUBuffer;
  invRms: GPUBuffer;
  probs: GPUBuffer;
  targets: GPUBuffer;
  /** The field's mean cross-entropy, one value. */
  loss: GPUBuffer;
}

/** What the backward pass needs from the forward pass. */
export interface GpuHeadsPass {
  top: GPUBuffer;
  final: GPUBuffer;
  finalInvRms: GPUBuffer;
  heads: Record<Field, HeadStep>;
}

/** Records the heads and field losses on the last layer's output `top` [rows, d]. */
export function fieldHeadsForwardGpu(
  buffers: StepBuffers,
  top: GPUBuffer,
  weights: TensorLookup,
  targetIds: Record<Field, Int32Array>,
  config: GenTrxConfig,
  rows: number,
): GpuHeadsPass {
  const { gpu } = buffers;
  const { modelDim: d, normEps } = config;
  const sizes = fieldSizes(config.tokenizer);
  const final = buffers.take(rows * d, "final");
  const finalInvRms = buffers.take(rows, "final invRms");
  const finalOut = { y: final, invRms: finalInvRms };
  rmsNormGpu(gpu, top, weights("finalNorm"), finalOut, rows, d, normEps);
  const heads = {} as Record<Field, HeadStep>;
  for (const field of FIELDS) {
    const bins = sizes[field];
    const normIn = buffers.take(rows * d, `${field} head in`);
    const invRms = buffers.take(rows, `${field} head invRms`);
    const norm = weights(`head.${field}.norm`);
    rmsNormGpu(gpu, final, norm, { y: normIn, invRms }, rows, d, normEps);
    const logits = buffers.take(rows * bins, `${field} logits`);
    matmulGpu(gpu, normIn, weights(`head.${field}.weight`), logits, rows, d, bins);
    const targets = buffers.upload(fieldTargets(field, targetIds[field], bins), `${field} targets`);
    const probs = buffers.take(rows * bins, `${field} probs`);
    const loss = buffers.take(1, `${field} loss`);
    const rowLoss = buffers.take(rows, `${field} row loss`);
    softmaxCrossEntropyGpu(gpu, logits, targets, { probs, rowLoss, loss }, rows, bins);
    heads[field] = { normIn, invRms, probs, targets, loss };
  }
  return { top, final, finalInvRms, heads };
}

/**
 * Records the gradients of the weighted total loss for the head and final
 * norm tensors into `grads`; returns dTop, the heads' input gradients summed
 * through the final norm.
 */
export function fieldHeadsBackwardGpu(
  buffers: StepBuffers,
  pass: GpuHeadsPass,
  weights: TensorLookup,
  grads: TensorLookup,
  config: GenTrxConfig,
  rows: number,
): GPUBuffer {
  const { gpu } = buffers;
  const d = config.modelDim;
  const sizes = fieldSizes(config.tokenizer);
  const dFinal = buffers.take(rows * d, "dFinal");
  for (const field of FIELDS) {
    const head = pass.heads[field];
    const logits = rows * sizes[field];
    const dLogits = buffers.take(logits, `${field} dLogits`);
    softmaxCrossEntropyBackwardGpu(gpu, head.probs, head.targets, dLogits, rows, sizes[field]);
    const weighted = buffers.take(logits, `${field} weighted dLogits`);
    copyScaledGpu(gpu, dLogits, weighted, logits, FIELD_LOSS_WEIGHTS[field]);
    const dNormIn = buffers.take(rows * d, `${field} dNormIn`);
    const weight = `head.${field}.weight`;
    const matmulGrads = { dA: dNormIn, dB: grads(weight) };
    matmulBackwardGpu(
      gpu,
      head.normIn,
      weights(weight),
      weighted,
      matmulGrads,
      rows,
      d,
      sizes[field],
    );
    const dPart = buffers.take(rows * d, `${field} dFinal part`);
    const norm = `head.${field}.norm`;
    const normGrads = { dX: dPart, dWeight: grads(norm) };
    rmsNormBackwardGpu(gpu, pass.final, weights(norm), head.invRms, dNormIn, normGrads, rows, d);
    addScaledGpu(gpu, dPart, dFinal, rows * d);
  }
  const dTop = buffers.take(rows * d, "dTop");
  const finalGrads = { dX: dTop, dWeight: grads("finalNorm") };
  const finalNorm = weights("finalNorm");
  rmsNormBackwardGpu(gpu, pass.top, finalNorm, pass.finalInvRms, dFinal, finalGrads, rows, d);
  return dTop;
}
