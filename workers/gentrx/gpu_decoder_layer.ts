/**
 * One GenTRX decoder layer on the GPU, forward and backward, composed from
 * the WGSL kernels exactly as engine/gentrx/decoder_layer.ts composes the
 * CPU ops (pre-RMSNorm, RoPE, causal attention, SwiGLU MLP, residuals).
 *
 * @module
 */
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import type { LAYER_TENSORS } from "@/engine/gentrx/decoder_layer.ts";
import { addScaledGpu } from "@/workers/gentrx/kernels/add.ts";
import {
  type AttentionShape,
  causalAttentionBackwardGpu,
  causalAttentionGpu,
} from "@/workers/gentrx/kernels/attention.ts";
import { matmulBackwardGpu, matmulGpu } from "@/workers/gentrx/kernels/matmul.ts";
import { rmsNormBackwardGpu, rmsNormGpu } from "@/workers/gentrx/kernels/rms_norm.ts";
import { ropeBackwardGpu, ropeGpu } from "@/workers/gentrx/kernels/rope.ts";
import { swigluBackwardGpu, swigluGpu } from "@/workers/gentrx/kernels/swiglu.ts";
import type { StepBuffers } from "@/workers/gentrx/step_buffers.ts";

/** A layer's tensors (or their gradients) on the GPU, named as in decoder_layer.ts. */
export type GpuLayerWeights = Record<typeof LAYER_TENSORS[number], GPUBuffer>;

/** Activations the backward pass needs, all [rows, ·] buffers of the step. */
export interface GpuLayerCache {
  x: GPUBuffer;
  attnIn: GPUBuffer;
  attnInvRms: GPUBuffer;
  q: GPUBuffer;
  k: GPUBuffer;
  v: GPUBuffer;
  probs: GPUBuffer;
  attnOut: GPUBuffer;
  h: GPUBuffer;
  mlpIn: GPUBuffer;
  mlpInvRms: GPUBuffer;
  gate: GPUBuffer;
  up: GPUBuffer;
  act: GPUBuffer;
}

/** The widths one layer call works with. */
export interface LayerShape extends AttentionShape {
  rows: number;
  modelDim: number;
  ffDim: number;
}

export function layerShape(config: GenTrxConfig, batch: number, seqLen: number): LayerShape {
  const { modelDim, heads, ffDim } = config;
  return { batch, seqLen, heads, headDim: modelDim / heads, rows: batch * seqLen, modelDim, ffDim };
}

/** Records the layer on x [rows, d]; returns y and the cache. */
export function decoderLayerForwardGpu(
  buffers: StepBuffers,
  x: GPUBuffer,
  w: GpuLayerWeights,
  config: GenTrxConfig,
  shape: LayerShape,
): { y: GPUBuffer; cache: GpuLayerCache } {
  const { gpu } = buffers;
  const { rows, modelDim: d, ffDim, batch, seqLen, heads, headDim } = shape;
  const width = rows * d;
  const attnIn = buffers.take(width, "attnIn");
  const attnInvRms = buffers.take(rows, "attnInvRms");
  rmsNormGpu(gpu, x, w.attnNorm, { y: attnIn, invRms: attnInvRms }, rows, d, config.normEps);
  const rotated = (weight: GPUBuffer, label: string) => {
    const linear = buffers.take(width, `${label} linear`);
    matmulGpu(gpu, attnIn, weight, linear, rows, d, d);
    const out = buffers.take(width, label);
    ropeGpu(gpu, linear, out, batch, seqLen, heads, headDim, config.ropeBase);
    return out;
  };
  const q = rotated(w.wq, "q");
  const k = rotated(w.wk, "k");
  const v = buffers.take(width, "v");
  matmulGpu(gpu, attnIn, w.wv, v, rows, d, d);
  const attnOut = buffers.take(width, "attnOut");
  const probs = buffers.take(batch * heads * seqLen * seqLen, "probs");
  causalAttentionGpu(gpu, q, k, v, { out: attnOut, probs }, shape);
  const h = buffers.take(width, "h");
  matmulGpu(gpu, attnOut, w.wo, h, rows, d, d);
  addScaledGpu(gpu, x, h, width);
  const mlpIn = buffers.take(width, "mlpIn");
  const mlpInvRms = buffers.take(rows, "mlpInvRms");
  rmsNormGpu(gpu, h, w.mlpNorm, { y: mlpIn, invRms: mlpInvRms }, rows, d, config.normEps);
  const gate = buffers.take(rows * ffDim, "gate");
  const up = buffers.take(rows * ffDim, "up");
  const act = buffers.take(rows * ffDim, "act");
  matmulGpu(gpu, mlpIn, w.wGate, gate, rows, d, ffDim);
  matmulGpu(gpu, mlpIn, w.wUp, up, rows, d, ffDim);
  swigluGpu(gpu, gate, up, act, rows * ffDim);
  const y = buffers.take(width, "layer out");
  matmulGpu(gpu, act, w.wDown, y, rows, ffDim, d);
  addScaledGpu(gpu, h, y, width);
  const cache = {
    x,
    attnIn,
    attnInvRms,
    q,
    k,
    v,
    probs,
    attnOut,
    h,
    mlpIn,
    mlpInvRms,
    gate,
    up,
    act,
  };
  return { y, cache };
}

/** Records the layer's backward pass into `grads`; returns dX. */
export function decoderLayerBackwardGpu(
  buffers: StepBuffers,
  dY: GPUBuffer,
  w: GpuLayerWeights,
  cache: GpuLayerCache,
  grads: GpuLayerWeights,
  config: GenTrxConfig,
  shape: LayerShape,
): GPUBuffer {
  const { gpu } = buffers;
  const { rows, modelDim: d, ffDim, batch, seqLen, heads, headDim } = shape;
  const width = rows * d;
  const hidden = rows * ffDim;
  const dAct = buffers.take(hidden, "dAct");
  matmulBackwardGpu(gpu, cache.act, w.wDown, dY, { dA: dAct, dB: grads.wDown }, rows, ffDim, d);
  const dGate = buffers.take(hidden, "dGate");
  const dUp = buffers.take(hidden, "dUp");
  swigluBackwardGpu(gpu, cache.gate, cache.up, dAct, { dGate, dUp }, hidden);
  const dMlpIn = buffers.take(width, "dMlpIn");
  const scratch = buffers.take(width, "dMlpIn part");
  matmulBackwardGpu(
    gpu,
    cache.mlpIn,
    w.wGate,
    dGate,
    { dA: dMlpIn, dB: grads.wGate },
    rows,
    d,
    ffDim,
  );
  matmulBackwardGpu(gpu, cache.mlpIn, w.wUp, dUp, { dA: scratch, dB: grads.wUp }, rows, d, ffDim);
  addScaledGpu(gpu, scratch, dMlpIn, width);
  const dH = buffers.take(width, "dH");
  rmsNormBackwardGpu(
    gpu,
    cache.h,
    w.mlpNorm,
    cache.mlpInvRms,
    dMlpIn,
    { dX: dH, dWeight: grads.mlpNorm },
    rows,
    d,
  );
  addScaledGpu(gpu, dY, dH, width);
  const dAttnOut = buffers.take(width, "dAttnOut");
  matmulBackwardGpu(gpu, cache.attnOut, w.wo, dH, { dA: dAttnOut, dB: grads.wo }, rows, d, d);
  const dQ = buffers.take(width, "dQ");
  const dK = buffers.take(width, "dK");
  const dV = buffers.take(width, "dV");
  const dScores = buffers.take(batch * heads * seqLen * seqLen, "dScores");
  causalAttentionBackwardGpu(
    gpu,
    cache.q,
    cache.k,
    cache.v,
    cache.probs,
    dAttnOut,
    { dQ, dK, dV, dScores },
    shape,
  );
  const dAttnIn = buffers.take(width, "dAttnIn");
  const unrotated = buffers.take(width, "dLinear");
  ropeBackwardGpu(gpu, dQ, unrotated, batch, seqLen, heads, headDim, config.ropeBase);
  matmulBackwardGpu(gpu, cache.attnIn, w.wq, unrotated, { dA: dAttnIn, dB: grads.wq }, rows, d, d);
  const part = buffers.take(width, "dAttnIn part");
  ropeBackwardGpu(gpu, dK, unrotated, batch, seqLen, heads, headDim, config.ropeBase);
  matmulBackwardGpu(gpu, cache.attnIn, w.wk, unrotated, { dA: part, dB: grads.wk }, rows, d, d);
  addScaledGpu(gpu, part, dAttnIn, width);
  matmulBackwardGpu(gpu, cache.attnIn, w.wv, dV, { dA: part, dB: grads.wv }, rows, d, d);
  addScaledGpu(gpu, part, dAttnIn, width);
  const dX = buffers.take(width, "dX");
  rmsNormBackwardGpu(
    gpu,
    cache.x,
    w.attnNorm,
    cache.attnInvRms,
    dAttnIn,
    { dX, dWeight: grads.attnNorm },
    rows,
    d,
  );
  addScaledGpu(gpu, dH, dX, width);
  return dX;
}
