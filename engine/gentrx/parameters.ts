/**
 * The named tensors of a GenTRX model: their shapes, count and seeded
 * initialisation. Names are stable, because checkpoints and model deltas
 * (taos.md §6.3–6.4) address tensors by name.
 *
 * | name | shape |
 * |---|---|
 * | `embed.<field>` | [bins, d] for type, price, volumeInt, volumeDec, interval |
 * | `embed.midDelta` | [2·range + 1, d] |
 * | `layers.<i>.attnNorm`, `.mlpNorm` | [d] |
 * | `layers.<i>.wq`, `.wk`, `.wv`, `.wo` | [d, d] |
 * | `layers.<i>.wGate`, `.wUp` / `.wDown` | [d, ff] / [ff, d] |
 * | `film.<i>.wGate`, `.wUp` / `.wGamma`, `.wBeta` | [condition, filmHidden] / [filmHidden, d] |
 * | `finalNorm`, `head.<field>.norm` | [d] |
 * | `head.<field>.weight` | [d, bins] |
 *
 * Weights are stored [in, out], so a layer is `matmul(x, w, rows, in, out)`.
 *
 * @module
 */
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { conditionSize, FIELDS, fieldSizes, midDeltaVocab } from "@/engine/gentrx/tokenizer.ts";

/** Tensors by name, in a fixed order. */
export type Parameters = Map<string, Float32Array>;

/** How a tensor starts: RMSNorm gains at one, FiLM outputs at zero (identity), the rest normal. */
type Init = "ones" | "zeros" | "normal";

interface TensorSpec {
  shape: number[];
  init: Init;
}

/** Every tensor's shape and initialisation, in checkpoint order. */
export function parameterSpecs(config: GenTrxConfig): Map<string, TensorSpec> {
  const { modelDim: d, ffDim, filmHidden } = config;
  const sizes = fieldSizes(config.tokenizer);
  const condition = conditionSize(config.tokenizer);
  const specs = new Map<string, TensorSpec>();
  const add = (name: string, shape: number[], init: Init) => specs.set(name, { shape, init });
  for (const field of FIELDS) add(`embed.${field}`, [sizes[field], d], "normal");
  add("embed.midDelta", [midDeltaVocab(config.tokenizer), d], "normal");
  for (let layer = 0; layer < config.layers; layer++) {
    const prefix = `layers.${layer}`;
    add(`${prefix}.attnNorm`, [d], "ones");
    for (const name of ["wq", "wk", "wv", "wo"]) add(`${prefix}.${name}`, [d, d], "normal");
    add(`${prefix}.mlpNorm`, [d], "ones");
    add(`${prefix}.wGate`, [d, ffDim], "normal");
    add(`${prefix}.wUp`, [d, ffDim], "normal");
    add(`${prefix}.wDown`, [ffDim, d], "normal");
  }
  for (const layer of config.filmLayers) {
    add(`film.${layer}.wGate`, [condition, filmHidden], "normal");
    add(`film.${layer}.wUp`, [condition, filmHidden], "normal");
    add(`film.${layer}.wGamma`, [filmHidden, d], "zeros");
    add(`film.${layer}.wBeta`, [filmHidden, d], "zeros");
  }
  add("finalNorm", [d], "ones");
  for (const field of FIELDS) {
    add(`head.${field}.norm`, [d], "ones");
    add(`head.${field}.weight`, [d, sizes[field]], "normal");
  }
  return specs;
}

/** Number of values in a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, length) => product * length, 1);
}

/** Total number of parameters of a config. */
export function parameterCount(config: GenTrxConfig): number {
  let total = 0;
  for (const { shape } of parameterSpecs(config).values()) total += sizeOf(shape);
  return total;
}

/** Fresh parameters; the same config and seed always give the same values. */
export function initParameters(config: GenTrxConfig, seed: number): Parameters {
  const random = new SeededRandom(seed);
  const parameters: Parameters = new Map();
  for (const [name, { shape, init }] of parameterSpecs(config)) {
    const size = sizeOf(shape);
    const values = init === "normal"
      ? random.normals(size, config.initStd)
      : new Float32Array(size);
    if (init === "ones") values.fill(1);
    parameters.set(name, values);
  }
  return parameters;
}

/** Zero tensors shaped like `parameters` (gradients, optimiser moments). */
export function zerosLike(parameters: Parameters): Parameters {
  return new Map([...parameters].map(([name, values]) => [name, new Float32Array(values.length)]));
}
