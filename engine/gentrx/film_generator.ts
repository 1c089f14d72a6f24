/**
 * The FiLM generator of GenTRX (taos.md §6.1: the 20 LOB volumes and the
 * time of day "go in through FiLM at layers 2, 5, 7 (hidden 64)"): a small
 * gated MLP per FiLM layer maps each position's conditioning to γ and β,
 *
 *     hidden = swiglu(c·Wgate, c·Wup),  γ = hidden·Wgamma,  β = hidden·Wbeta,
 *
 * using the same SwiGLU as the decoder so no other activation is needed.
 * Wgamma and Wbeta start at zero, so a fresh model ignores the conditioning
 * until training finds it useful.
 *
 * @module
 */
import { addInPlace } from "@/engine/gentrx/_add.ts";
import { matmul, matmulBackward } from "@/engine/gentrx/ops/matmul.ts";
import { swiglu, swigluBackward } from "@/engine/gentrx/ops/swiglu.ts";

/** The tensors of one generator, named as in `parameters.ts` without the `film.<i>.` prefix. */
export const FILM_TENSORS = ["wGate", "wUp", "wGamma", "wBeta"] as const;
export type FilmWeights = Record<typeof FILM_TENSORS[number], Float32Array>;

/** Widths: `rows` positions, `conditionSize` inputs, `hidden` units, `modelDim` outputs. */
export interface FilmShape {
  rows: number;
  conditionSize: number;
  hidden: number;
  modelDim: number;
}

export interface FilmCache {
  gate: Float32Array;
  up: Float32Array;
  act: Float32Array;
}

/** γ and β [rows, modelDim] for each position's conditioning [rows, conditionSize]. */
export function filmGeneratorForward(
  conditions: Float32Array,
  w: FilmWeights,
  shape: FilmShape,
): { gamma: Float32Array; beta: Float32Array; cache: FilmCache } {
  const { rows, conditionSize, hidden, modelDim } = shape;
  const gate = matmul(conditions, w.wGate, rows, conditionSize, hidden);
  const up = matmul(conditions, w.wUp, rows, conditionSize, hidden);
  const act = swiglu(gate, up, rows * hidden);
  return {
    gamma: matmul(act, w.wGamma, rows, hidden, modelDim),
    beta: matmul(act, w.wBeta, rows, hidden, modelDim),
    cache: { gate, up, act },
  };
}

/** The generator's weight gradients from dγ and dβ (the conditioning is data, not trained). */
export function filmGeneratorBackward(
  dGamma: Float32Array,
  dBeta: Float32Array,
  conditions: Float32Array,
  w: FilmWeights,
  cache: FilmCache,
  shape: FilmShape,
): FilmWeights {
  const { rows, conditionSize, hidden, modelDim } = shape;
  const gamma = matmulBackward(cache.act, w.wGamma, dGamma, rows, hidden, modelDim);
  const beta = matmulBackward(cache.act, w.wBeta, dBeta, rows, hidden, modelDim);
  const { dGate, dUp } = swigluBackward(
    cache.gate,
    cache.up,
    addInPlace(gamma.dA, beta.dA),
    rows * hidden,
  );
  return {
    wGate: matmulBackward(conditions, w.wGate, dGate, rows, conditionSize, hidden).dB,
    wUp: matmulBackward(conditions, w.wUp, dUp, rows, conditionSize, hidden).dB,
    wGamma: gamma.dB,
    wBeta: beta.dB,
  };
}
