/**
 * The FiLM generator and FiLM modulation on the GPU, forward and backward,
 * composed from the WGSL kernels as engine/gentrx/film_generator.ts and the
 * CPU model compose the ops: hidden = swiglu(c·Wgate, c·Wup),
 * γ = hidden·Wgamma, β = hidden·Wbeta, y = x·(1 + γ) + β per position.
 *
 * @module
 */
import type { FILM_TENSORS, FilmShape } from "@/engine/gentrx/film_generator.ts";
import { addScaledGpu } from "@/workers/gentrx/kernels/add.ts";
import { filmBackwardGpu, filmGpu } from "@/workers/gentrx/kernels/film.ts";
import { matmulBackwardGpu, matmulGpu } from "@/workers/gentrx/kernels/matmul.ts";
import { swigluBackwardGpu, swigluGpu } from "@/workers/gentrx/kernels/swiglu.ts";
import type { StepBuffers } from "@/workers/gentrx/step_buffers.ts";

/** A generator's tensors (or their gradients) on the GPU, named as in film_generator.ts. */
export type GpuFilmWeights = Record<typeof FILM_TENSORS[number], GPUBuffer>;

export interface GpuFilmCache {
  /** The layer output that FiLM modulated. */
  x: GPUBuffer;
  gamma: GPUBuffer;
  gate: GPUBuffer;
  up: GPUBuffer;
  act: GPUBuffer;
}

/** Records γ, β from `conditions` and returns x modulated by them, with the cache. */
export function filmForwardGpu(
  buffers: StepBuffers,
  x: GPUBuffer,
  conditions: GPUBuffer,
  w: GpuFilmWeights,
  shape: FilmShape,
): { y: GPUBuffer; cache: GpuFilmCache } {
  const { gpu } = buffers;
  const { rows, conditionSize, hidden, modelDim } = shape;
  const gate = buffers.take(rows * hidden, "film gate");
  const up = buffers.take(rows * hidden, "film up");
  const act = buffers.take(rows * hidden, "film act");
  matmulGpu(gpu, conditions, w.wGate, gate, rows, conditionSize, hidden);
  matmulGpu(gpu, conditions, w.wUp, up, rows, conditionSize, hidden);
  swigluGpu(gpu, gate, up, act, rows * hidden);
  const gamma = buffers.take(rows * modelDim, "film gamma");
  const beta = buffers.take(rows * modelDim, "film beta");
  matmulGpu(gpu, act, w.wGamma, gamma, rows, hidden, modelDim);
  matmulGpu(gpu, act, w.wBeta, beta, rows, hidden, modelDim);
  const y = buffers.take(rows * modelDim, "film out");
  filmGpu(gpu, x, gamma, beta, y, rows, 1, modelDim);
  return { y, cache: { x, gamma, gate, up, act } };
}

/** Records the generator's weight gradients into `grads`; returns dX of the modulated input. */
export function filmBackwardStepGpu(
  buffers: StepBuffers,
  dY: GPUBuffer,
  conditions: GPUBuffer,
  w: GpuFilmWeights,
  cache: GpuFilmCache,
  grads: GpuFilmWeights,
  shape: FilmShape,
): GPUBuffer {
  const { gpu } = buffers;
  const { rows, conditionSize, hidden, modelDim } = shape;
  const dX = buffers.take(rows * modelDim, "film dX");
  const dGamma = buffers.take(rows * modelDim, "film dGamma");
  const dBeta = buffers.take(rows * modelDim, "film dBeta");
  filmBackwardGpu(gpu, cache.x, cache.gamma, dY, { dX, dGamma, dBeta }, rows, 1, modelDim);
  const dAct = buffers.take(rows * hidden, "film dAct");
  const part = buffers.take(rows * hidden, "film dAct part");
  matmulBackwardGpu(
    gpu,
    cache.act,
    w.wGamma,
    dGamma,
    { dA: dAct, dB: grads.wGamma },
    rows,
    hidden,
    modelDim,
  );
  matmulBackwardGpu(
    gpu,
    cache.act,
    w.wBeta,
    dBeta,
    { dA: part, dB: grads.wBeta },
    rows,
    hidden,
    modelDim,
  );
  addScaledGpu(gpu, part, dAct, rows * hidden);
  const dGate = buffers.take(rows * hidden, "film dGate");
  const dUp = buffers.take(rows * hidden, "film dUp");
  swigluBackwardGpu(gpu, cache.gate, cache.up, dAct, { dGate, dUp }, rows * hidden);
  // The conditioning is data, so only the weight gradients Cᵀ·dGate and Cᵀ·dUp are needed.
  matmulGpu(gpu, conditions, dGate, grads.wGate, conditionSize, rows, hidden, { a: true });
  matmulGpu(gpu, conditions, dUp, grads.wUp, conditionSize, rows, hidden, { a: true });
  return dX;
}
