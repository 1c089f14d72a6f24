/**
 * One LLaMA decoder layer of GenTRX (taos.md §6.1, "HF LLaMA"):
 *
 *     h = x + Wo·attention(rope(Wq·norm(x)), rope(Wk·norm(x)), Wv·norm(x))
 *     y = h + Wdown·swiglu(Wgate·norm(h), Wup·norm(h))
 *
 * with pre-RMSNorm, causal multi-head attention and no biases. The forward
 * pass keeps what the backward pass needs; the backward pass composes the
 * ops' backward functions in reverse.
 *
 * @module
 */
import { addInPlace } from "@/engine/gentrx/_add.ts";
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import { causalAttention, causalAttentionBackward } from "@/engine/gentrx/ops/attention.ts";
import { matmul, matmulBackward } from "@/engine/gentrx/ops/matmul.ts";
import { rmsNorm, rmsNormBackward } from "@/engine/gentrx/ops/rms_norm.ts";
import { rope, ropeBackward } from "@/engine/gentrx/ops/rope.ts";
import { swiglu, swigluBackward } from "@/engine/gentrx/ops/swiglu.ts";

/** The tensors of one layer, named as in `parameters.ts` without the `layers.<i>.` prefix. */
export const LAYER_TENSORS = [
  "attnNorm",
  "wq",
  "wk",
  "wv",
  "wo",
  "mlpNorm",
  "wGate",
  "wUp",
  "wDown",
] as const;
export type LayerWeights = Record<typeof LAYER_TENSORS[number], Float32Array>;

/** Activations saved by the forward pass. */
export interface DecoderLayerCache {
  x: Float32Array;
  attnIn: Float32Array;
  attnInvRms: Float32Array;
  /** Queries and keys after RoPE. */
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  probs: Float32Array;
  attnOut: Float32Array;
  h: Float32Array;
  mlpIn: Float32Array;
  mlpInvRms: Float32Array;
  gate: Float32Array;
  up: Float32Array;
  act: Float32Array;
}

/** Runs one layer over `batch` sequences of `seqLen` positions; x is [batch·seqLen, d]. */
export function decoderLayerForward(
  x: Float32Array,
  w: LayerWeights,
  config: GenTrxConfig,
  batch: number,
  seqLen: number,
): { y: Float32Array; cache: DecoderLayerCache } {
  const { modelDim: d, heads, ffDim, ropeBase, normEps } = config;
  const rows = batch * seqLen;
  const headDim = d / heads;
  const attnNorm = rmsNorm(x, w.attnNorm, rows, d, normEps);
  const attnIn = attnNorm.y;
  const q = rope(matmul(attnIn, w.wq, rows, d, d), batch, seqLen, heads, headDim, ropeBase);
  const k = rope(matmul(attnIn, w.wk, rows, d, d), batch, seqLen, heads, headDim, ropeBase);
  const v = matmul(attnIn, w.wv, rows, d, d);
  const { out: attnOut, probs } = causalAttention(q, k, v, batch, seqLen, heads, headDim);
  const h = addInPlace(matmul(attnOut, w.wo, rows, d, d), x);
  const mlpNorm = rmsNorm(h, w.mlpNorm, rows, d, normEps);
  const mlpIn = mlpNorm.y;
  const gate = matmul(mlpIn, w.wGate, rows, d, ffDim);
  const up = matmul(mlpIn, w.wUp, rows, d, ffDim);
  const act = swiglu(gate, up, rows * ffDim);
  const y = addInPlace(matmul(act, w.wDown, rows, ffDim, d), h);
  return {
    y,
    cache: {
      x,
      attnIn,
      attnInvRms: attnNorm.invRms,
      q,
      k,
      v,
      probs,
      attnOut,
      h,
      mlpIn,
      mlpInvRms: mlpNorm.invRms,
      gate,
      up,
      act,
    },
  };
}

/** Gradients of one layer: dX and every weight's gradient. */
export function decoderLayerBackward(
  dY: Float32Array,
  w: LayerWeights,
  cache: DecoderLayerCache,
  config: GenTrxConfig,
  batch: number,
  seqLen: number,
): { dX: Float32Array; grads: LayerWeights } {
  const { modelDim: d, heads, ffDim, ropeBase } = config;
  const rows = batch * seqLen;
  const headDim = d / heads;
  const down = matmulBackward(cache.act, w.wDown, dY, rows, ffDim, d);
  const { dGate, dUp } = swigluBackward(cache.gate, cache.up, down.dA, rows * ffDim);
  const gate = matmulBackward(cache.mlpIn, w.wGate, dGate, rows, d, ffDim);
  const up = matmulBackward(cache.mlpIn, w.wUp, dUp, rows, d, ffDim);
  const mlpNorm = rmsNormBackward(
    cache.h,
    w.mlpNorm,
    cache.mlpInvRms,
    addInPlace(gate.dA, up.dA),
    rows,
    d,
  );
  const dH = addInPlace(mlpNorm.dX, dY);
  const out = matmulBackward(cache.attnOut, w.wo, dH, rows, d, d);
  const { dQ, dK, dV } = causalAttentionBackward(
    cache.q,
    cache.k,
    cache.v,
    cache.probs,
    out.dA,
    batch,
    seqLen,
    heads,
    headDim,
  );
  const query = matmulBackward(
    cache.attnIn,
    w.wq,
    ropeBackward(dQ, batch, seqLen, heads, headDim, ropeBase),
    rows,
    d,
    d,
  );
  const key = matmulBackward(
    cache.attnIn,
    w.wk,
    ropeBackward(dK, batch, seqLen, heads, headDim, ropeBase),
    rows,
    d,
    d,
  );
  const value = matmulBackward(cache.attnIn, w.wv, dV, rows, d, d);
  const dAttnIn = addInPlace(addInPlace(query.dA, key.dA), value.dA);
  const attnNorm = rmsNormBackward(cache.x, w.attnNorm, cache.attnInvRms, dAttnIn, rows, d);
  return {
    dX: addInPlace(attnNorm.dX, dH),
    grads: {
      attnNorm: attnNorm.dWeight,
      wq: query.dB,
      wk: key.dB,
      wv: value.dB,
      wo: out.dB,
      mlpNorm: mlpNorm.dWeight,
      wGate: gate.dB,
      wUp: up.dB,
      wDown: down.dB,
    },
  };
}
