/**
 * GenTRX model sizes. The default matches τaos's order-flow model
 * (taos.md §6.1: a LLaMA decoder with d 288, 8 layers, 8 heads, ff 1152,
 * sequences of 512, FiLM at layers 2, 5 and 7 with hidden 64, about 12.1 M
 * parameters); tests and CI use much smaller configs (ml.md: "keep CI model
 * configurations tiny").
 *
 * @module
 */
import { LLAMA_ROPE_BASE } from "@/engine/gentrx/ops/rope.ts";
import { TAOS_TOKENIZER_CONFIG, type TokenizerConfig } from "@/engine/gentrx/tokenizer.ts";

export interface GenTrxConfig {
  /** Width of the residual stream. */
  modelDim: number;
  layers: number;
  heads: number;
  /** Width of the SwiGLU MLP's hidden layer. */
  ffDim: number;
  /** Longest sequence of orders the model is trained on. */
  contextLength: number;
  /** 0-based layers after which FiLM applies the book and time conditioning. */
  filmLayers: number[];
  /** Hidden width of each FiLM generator. */
  filmHidden: number;
  ropeBase: number;
  normEps: number;
  /** Standard deviation of the normal initialisation of weights and embeddings. */
  initStd: number;
  tokenizer: TokenizerConfig;
}

/** LLaMA's `rms_norm_eps` and `initializer_range` (Hugging Face `LlamaConfig` defaults). */
const LLAMA_RMS_NORM_EPS = 1e-6;
const LLAMA_INITIALIZER_RANGE = 0.02;

/** τaos's GenTRX model (taos.md §6.1). */
export const TAOS_GENTRX_CONFIG: GenTrxConfig = {
  modelDim: 288,
  layers: 8,
  heads: 8,
  ffDim: 1152,
  contextLength: 512,
  filmLayers: [2, 5, 7],
  filmHidden: 64,
  ropeBase: LLAMA_ROPE_BASE,
  normEps: LLAMA_RMS_NORM_EPS,
  initStd: LLAMA_INITIALIZER_RANGE,
  tokenizer: TAOS_TOKENIZER_CONFIG,
};

/** A CI-sized model with τaos's tokenizer (ml.md: "d=64, 2 layers, 32 tokens"). */
export const TINY_GENTRX_CONFIG: GenTrxConfig = {
  ...TAOS_GENTRX_CONFIG,
  modelDim: 64,
  layers: 2,
  heads: 4,
  ffDim: 256,
  contextLength: 32,
  filmLayers: [1],
  filmHidden: 16,
};

/** Settings that count something: positive integers. */
const COUNT_SETTINGS = [
  "modelDim",
  "layers",
  "heads",
  "ffDim",
  "contextLength",
  "filmHidden",
] as const;
/** Settings that scale something: positive finite numbers. */
const SCALE_SETTINGS = ["ropeBase", "normEps", "initStd"] as const;

function invalid(name: string, value: unknown, expected: string): RangeError {
  return new RangeError(
    `Invalid GenTRX config: ${name} is ${JSON.stringify(value)}, expected ${expected}`,
  );
}

/**
 * Throws naming the first setting the model cannot be built with. Configs
 * also arrive from checkpoints, so every field is checked, the tokenizer's
 * included.
 */
export function validateConfig(config: GenTrxConfig): void {
  for (const name of COUNT_SETTINGS) {
    const value = config[name];
    if (!(Number.isInteger(value) && value > 0)) throw invalid(name, value, "a positive integer");
  }
  for (const name of SCALE_SETTINGS) {
    const value = config[name];
    if (!(Number.isFinite(value) && value > 0)) throw invalid(name, value, "a positive number");
  }
  const { modelDim, heads, layers, filmLayers, tokenizer } = config;
  if (modelDim % heads !== 0 || (modelDim / heads) % 2 !== 0) {
    throw invalid("modelDim", modelDim, `a multiple of 2 × heads (${heads}) for RoPE pairs`);
  }
  if (!Array.isArray(filmLayers)) throw invalid("filmLayers", filmLayers, "an array of layers");
  for (const layer of filmLayers) {
    if (!(Number.isInteger(layer) && layer >= 0 && layer < layers)) {
      throw invalid("filmLayers", filmLayers, `layers in 0..${layers - 1}`);
    }
  }
  if (typeof tokenizer !== "object" || tokenizer === null) {
    throw invalid("tokenizer", tokenizer, "an object");
  }
  for (const name of Object.keys(TAOS_TOKENIZER_CONFIG) as (keyof TokenizerConfig)[]) {
    const value = tokenizer[name];
    const least = name === "volumeDecimals" ? 0 : 1;
    if (!(Number.isInteger(value) && value >= least)) {
      throw invalid(`tokenizer.${name}`, value, `an integer ≥ ${least}`);
    }
  }
}
