/**
 * The GenTRX order-flow model (taos.md §6.1; MarS, arXiv 2409.07486, for the
 * summed field embeddings): each position sums the embeddings of an order's
 * five field tokens and of the mid change it caused, runs a LLaMA decoder
 * with FiLM conditioning on the book and time of day at chosen layers, and
 * predicts the next order's fields with one RMSNorm + linear head each. The
 * loss is τaos's weighted sum of per-field (ordinal-soft) cross-entropies.
 *
 * Forward and backward are plain TypeScript composed from `ops/`: the CPU
 * trainer and the reference for the WebGPU path (ARCHITECTURE.md decision 8).
 *
 * Where this differs from τaos: the heads use RMSNorm and a bias-free linear
 * layer (τaos: LayerNorm + Linear), so every norm in the model is the one
 * RMSNorm op; there is no dropout (τaos: 0.1), so a seed fixes a training
 * run exactly; and the FiLM generator is a gated MLP (see
 * `film_generator.ts`). The parameter count stays within 1% of τaos's 12.1 M.
 *
 * @module
 */
import { addInPlace } from "@/engine/gentrx/_add.ts";
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import { type GenTrxConfig, validateConfig } from "@/engine/gentrx/config.ts";
import {
  decoderLayerBackward,
  type DecoderLayerCache,
  decoderLayerForward,
  LAYER_TENSORS,
  type LayerWeights,
} from "@/engine/gentrx/decoder_layer.ts";
import {
  FILM_TENSORS,
  type FilmCache,
  filmGeneratorBackward,
  filmGeneratorForward,
  type FilmShape,
  type FilmWeights,
} from "@/engine/gentrx/film_generator.ts";
import { FIELD_LOSS_WEIGHTS, fieldTargets } from "@/engine/gentrx/loss.ts";
import {
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
} from "@/engine/gentrx/ops/cross_entropy.ts";
import { embedding, embeddingBackward } from "@/engine/gentrx/ops/embedding.ts";
import { film, filmBackward } from "@/engine/gentrx/ops/film.ts";
import { matmul, matmulBackward } from "@/engine/gentrx/ops/matmul.ts";
import { rmsNorm, rmsNormBackward } from "@/engine/gentrx/ops/rms_norm.ts";
import {
  initParameters,
  type Parameters,
  parameterSpecs,
  sizeOf,
} from "@/engine/gentrx/parameters.ts";
import {
  conditionSize,
  type Field,
  FIELDS,
  fieldSizes,
  midDeltaVocab,
} from "@/engine/gentrx/tokenizer.ts";

/** The weighted total and each field's mean cross-entropy. */
export interface LossBreakdown {
  total: number;
  fields: Record<Field, number>;
}

interface FilmStep {
  /** The layer output FiLM modulated. */
  x: Float32Array;
  gamma: Float32Array;
  cache: FilmCache;
}

interface HeadStep {
  normIn: Float32Array;
  invRms: Float32Array;
  probs: Float32Array;
  targets: Float32Array;
}

interface HeadLogits {
  normIn: Float32Array;
  invRms: Float32Array;
  logits: Float32Array;
}

/** Everything up to the heads' logits, shared by inference and training. */
interface Trunk {
  layers: DecoderLayerCache[];
  films: Map<number, FilmStep>;
  top: Float32Array;
  final: Float32Array;
  finalInvRms: Float32Array;
  heads: Record<Field, HeadLogits>;
}

interface ForwardPass {
  loss: LossBreakdown;
  layers: DecoderLayerCache[];
  films: Map<number, FilmStep>;
  /** The last layer's output, its final norm and its inverse RMS. */
  top: Float32Array;
  final: Float32Array;
  finalInvRms: Float32Array;
  heads: Record<Field, HeadStep>;
}

export class GenTrxModel {
  readonly config: GenTrxConfig;
  readonly parameters: Parameters;

  /** Wraps existing parameters, which must match the config's names and sizes exactly. */
  constructor(config: GenTrxConfig, parameters: Parameters) {
    validateConfig(config);
    for (const [name, { shape }] of parameterSpecs(config)) {
      const values = parameters.get(name);
      if (values === undefined) {
        throw new RangeError(`Cannot build GenTRX model: tensor "${name}" is missing`);
      }
      if (values.length !== sizeOf(shape)) {
        throw new RangeError(
          `Cannot build GenTRX model: tensor "${name}" has ${values.length} values, expected ${
            sizeOf(shape)
          }`,
        );
      }
    }
    this.config = config;
    this.parameters = parameters;
  }

  /** A freshly initialised model; the same seed gives the same model. */
  static create(config: GenTrxConfig, seed: number): GenTrxModel {
    validateConfig(config);
    return new GenTrxModel(config, initParameters(config, seed));
  }

  /** The loss of a batch, forward only. */
  loss(batch: ModelBatch): LossBreakdown {
    return this.#forward(batch).loss;
  }

  /** The loss and the gradient of its total for every parameter, by name. */
  lossAndGradients(batch: ModelBatch): { loss: LossBreakdown; gradients: Parameters } {
    const pass = this.#forward(batch);
    return { loss: pass.loss, gradients: this.#backward(batch, pass) };
  }

  #tensor(name: string): Float32Array {
    return this.parameters.get(name)!;
  }

  #layer(layer: number): LayerWeights {
    return Object.fromEntries(
      LAYER_TENSORS.map((name) => [name, this.#tensor(`layers.${layer}.${name}`)]),
    ) as LayerWeights;
  }

  #film(layer: number): FilmWeights {
    return Object.fromEntries(
      FILM_TENSORS.map((name) => [name, this.#tensor(`film.${layer}.${name}`)]),
    ) as FilmWeights;
  }

  #filmShape(batch: ModelBatch): FilmShape {
    return {
      rows: batch.batch * batch.seqLen,
      conditionSize: conditionSize(this.config.tokenizer),
      hidden: this.config.filmHidden,
      modelDim: this.config.modelDim,
    };
  }

  #checkBatch(batch: ModelBatch, withTargets: boolean): void {
    const { contextLength } = this.config;
    if (batch.seqLen > contextLength) {
      throw new RangeError(
        `Cannot run GenTRX: sequence length ${batch.seqLen} exceeds the context of ${contextLength}`,
      );
    }
    const rows = batch.batch * batch.seqLen;
    const width = conditionSize(this.config.tokenizer);
    const fieldLengths = FIELDS.flatMap((field) =>
      withTargets ? [batch.inputs[field].length, batch.targets[field].length] : [
        batch.inputs[field].length,
      ]
    );
    if (
      batch.midDeltaIds.length !== rows || batch.conditions.length !== rows * width ||
      fieldLengths.some((length) => length !== rows)
    ) {
      throw new RangeError(
        `Cannot run GenTRX: batch arrays do not match ${batch.batch}×${batch.seqLen} positions`,
      );
    }
  }

  /**
   * Every position's per-field logits, [positions, bins] row-major; the
   * batch's targets are not read. Generation samples from these and the
   * ONNX export is checked against them.
   */
  logits(batch: ModelBatch): Record<Field, Float32Array> {
    this.#checkBatch(batch, false);
    const { heads } = this.#trunk(batch);
    return Object.fromEntries(FIELDS.map((field) => [field, heads[field].logits])) as Record<
      Field,
      Float32Array
    >;
  }

  /** Embeddings, decoder layers with FiLM, final norm and the heads' logits. */
  #trunk(batch: ModelBatch): Trunk {
    const { modelDim: d, normEps } = this.config;
    const sizes = fieldSizes(this.config.tokenizer);
    const rows = batch.batch * batch.seqLen;
    let x = embedding(
      this.#tensor("embed.midDelta"),
      batch.midDeltaIds,
      midDeltaVocab(this.config.tokenizer),
      d,
    );
    for (const field of FIELDS) {
      addInPlace(
        x,
        embedding(this.#tensor(`embed.${field}`), batch.inputs[field], sizes[field], d),
      );
    }
    const layers: DecoderLayerCache[] = [];
    const films = new Map<number, FilmStep>();
    const filmLayers = new Set(this.config.filmLayers);
    for (let layer = 0; layer < this.config.layers; layer++) {
      const { y, cache } = decoderLayerForward(
        x,
        this.#layer(layer),
        this.config,
        batch.batch,
        batch.seqLen,
      );
      layers.push(cache);
      x = y;
      if (filmLayers.has(layer)) {
        const generated = filmGeneratorForward(
          batch.conditions,
          this.#film(layer),
          this.#filmShape(batch),
        );
        films.set(layer, { x, gamma: generated.gamma, cache: generated.cache });
        x = film(x, generated.gamma, generated.beta, rows, 1, d);
      }
    }
    const final = rmsNorm(x, this.#tensor("finalNorm"), rows, d, normEps);
    const heads = {} as Record<Field, HeadLogits>;
    for (const field of FIELDS) {
      const norm = rmsNorm(final.y, this.#tensor(`head.${field}.norm`), rows, d, normEps);
      const logits = matmul(norm.y, this.#tensor(`head.${field}.weight`), rows, d, sizes[field]);
      heads[field] = { normIn: norm.y, invRms: norm.invRms, logits };
    }
    return { layers, films, top: x, final: final.y, finalInvRms: final.invRms, heads };
  }

  #forward(batch: ModelBatch): ForwardPass {
    this.#checkBatch(batch, true);
    const sizes = fieldSizes(this.config.tokenizer);
    const rows = batch.batch * batch.seqLen;
    const trunk = this.#trunk(batch);
    const fields = {} as Record<Field, number>;
    const heads = {} as Record<Field, HeadStep>;
    let total = 0;
    for (const field of FIELDS) {
      const { normIn, invRms, logits } = trunk.heads[field];
      const targets = fieldTargets(field, batch.targets[field], sizes[field]);
      const { loss, probs } = softmaxCrossEntropy(logits, targets, rows, sizes[field]);
      fields[field] = loss;
      total += FIELD_LOSS_WEIGHTS[field] * loss;
      heads[field] = { normIn, invRms, probs, targets };
    }
    return { ...trunk, loss: { total, fields }, heads };
  }

  #backward(batch: ModelBatch, pass: ForwardPass): Parameters {
    const { modelDim: d } = this.config;
    const sizes = fieldSizes(this.config.tokenizer);
    const rows = batch.batch * batch.seqLen;
    const gradients: Parameters = new Map();
    const dFinal = new Float32Array(rows * d);
    for (const field of FIELDS) {
      const head = pass.heads[field];
      const dLogits = softmaxCrossEntropyBackward(head.probs, head.targets, rows, sizes[field]);
      for (let i = 0; i < dLogits.length; i++) dLogits[i] *= FIELD_LOSS_WEIGHTS[field];
      const weight = matmulBackward(
        head.normIn,
        this.#tensor(`head.${field}.weight`),
        dLogits,
        rows,
        d,
        sizes[field],
      );
      const norm = rmsNormBackward(
        pass.final,
        this.#tensor(`head.${field}.norm`),
        head.invRms,
        weight.dA,
        rows,
        d,
      );
      gradients.set(`head.${field}.weight`, weight.dB);
      gradients.set(`head.${field}.norm`, norm.dWeight);
      addInPlace(dFinal, norm.dX);
    }
    const final = rmsNormBackward(
      pass.top,
      this.#tensor("finalNorm"),
      pass.finalInvRms,
      dFinal,
      rows,
      d,
    );
    gradients.set("finalNorm", final.dWeight);
    let dX = final.dX;
    for (let layer = this.config.layers - 1; layer >= 0; layer--) {
      const filmStep = pass.films.get(layer);
      if (filmStep !== undefined) {
        const modulated = filmBackward(filmStep.x, filmStep.gamma, dX, rows, 1, d);
        const weights = this.#film(layer);
        const grads = filmGeneratorBackward(
          modulated.dGamma,
          modulated.dBeta,
          batch.conditions,
          weights,
          filmStep.cache,
          this.#filmShape(batch),
        );
        for (const name of FILM_TENSORS) gradients.set(`film.${layer}.${name}`, grads[name]);
        dX = modulated.dX;
      }
      const { dX: dLayerIn, grads } = decoderLayerBackward(
        dX,
        this.#layer(layer),
        pass.layers[layer],
        this.config,
        batch.batch,
        batch.seqLen,
      );
      for (const name of LAYER_TENSORS) gradients.set(`layers.${layer}.${name}`, grads[name]);
      dX = dLayerIn;
    }
    gradients.set(
      "embed.midDelta",
      embeddingBackward(batch.midDeltaIds, dX, midDeltaVocab(this.config.tokenizer), d),
    );
    for (const field of FIELDS) {
      gradients.set(`embed.${field}`, embeddingBackward(batch.inputs[field], dX, sizes[field], d));
    }
    // Return the gradients in the parameters' own order.
    return new Map([...this.parameters.keys()].map((name) => [name, gradients.get(name)!]));
  }
}
