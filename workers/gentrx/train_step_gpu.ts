/**
 * GenTRX training on WebGPU: the same step as the CPU `Trainer`
 * (engine/gentrx/trainer.ts over engine/gentrx/model.ts) — summed field and
 * mid-delta embeddings, decoder layers with FiLM at the configured layers,
 * RMSNorm + linear heads, τaos's weighted soft cross-entropy, then AdamW —
 * with every tensor, activation and gradient kept in GPU buffers. A step
 * uploads the batch and reads back only the five field losses
 * (ARCHITECTURE.md decision 8).
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import { LAYER_TENSORS } from "@/engine/gentrx/decoder_layer.ts";
import { FILM_TENSORS, type FilmShape } from "@/engine/gentrx/film_generator.ts";
import { FIELD_LOSS_WEIGHTS } from "@/engine/gentrx/loss.ts";
import type { GenTrxModel, LossBreakdown } from "@/engine/gentrx/model.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import type { Parameters } from "@/engine/gentrx/parameters.ts";
import {
  conditionSize,
  type Field,
  FIELDS,
  fieldSizes,
  midDeltaVocab,
} from "@/engine/gentrx/tokenizer.ts";
import type { GpuContext } from "@/workers/gentrx/gpu.ts";
import {
  decoderLayerBackwardGpu,
  decoderLayerForwardGpu,
  type GpuLayerCache,
  type GpuLayerWeights,
  layerShape,
} from "@/workers/gentrx/gpu_decoder_layer.ts";
import {
  fieldHeadsBackwardGpu,
  fieldHeadsForwardGpu,
  type GpuHeadsPass,
} from "@/workers/gentrx/gpu_field_heads.ts";
import {
  filmBackwardStepGpu,
  filmForwardGpu,
  type GpuFilmCache,
  type GpuFilmWeights,
} from "@/workers/gentrx/gpu_film_generator.ts";
import { adamwStepGpu } from "@/workers/gentrx/kernels/adamw.ts";
import { addScaledGpu } from "@/workers/gentrx/kernels/add.ts";
import {
  embeddingBackwardGpu,
  embeddingGpu,
  EmbeddingIds,
} from "@/workers/gentrx/kernels/embedding.ts";
import { StepBuffers } from "@/workers/gentrx/step_buffers.ts";

/** One named tensor with its gradient and AdamW moments, all on the GPU. */
interface GpuTensor {
  size: number;
  value: GPUBuffer;
  grad: GPUBuffer;
  m: GPUBuffer;
  v: GPUBuffer;
}

/** Trains a GenTRX model's parameters on the GPU, one AdamW step per batch. */
export class GpuTrainer {
  readonly config: GenTrxConfig;
  readonly options: AdamWOptions;
  readonly #gpu: GpuContext;
  readonly #tensors = new Map<string, GpuTensor>();
  #steps = 0;
  #stepping = false;

  /** Uploads `model`'s parameters; the model itself is not changed by training. */
  constructor(gpu: GpuContext, model: GenTrxModel, options: AdamWOptions) {
    this.#gpu = gpu;
    this.config = model.config;
    this.options = options;
    for (const [name, values] of model.parameters) {
      this.#tensors.set(name, {
        size: values.length,
        value: gpu.upload(values, name),
        grad: gpu.createBuffer(values.length, `${name} grad`),
        m: gpu.createBuffer(values.length, `${name} m`),
        v: gpu.createBuffer(values.length, `${name} v`),
      });
    }
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.#steps;
  }

  /**
   * One AdamW step on `batch`; returns the loss before the step, like the CPU
   * trainer. Steps run one at a time: they share the device's recorded work.
   */
  async step(batch: ModelBatch): Promise<LossBreakdown> {
    if (this.#stepping) {
      throw new Error("Cannot start a GenTRX GPU step: the previous step has not finished");
    }
    this.#stepping = true;
    const buffers = new StepBuffers(this.#gpu);
    try {
      const heads = this.#forwardAndBackward(buffers, batch);
      this.#steps++;
      for (const tensor of this.#tensors.values()) {
        adamwStepGpu(
          this.#gpu,
          { params: tensor.value, grads: tensor.grad, m: tensor.m, v: tensor.v },
          tensor.size,
          this.#steps,
          this.options,
        );
      }
      const fields = {} as Record<Field, number>;
      let total = 0;
      for (const field of FIELDS) {
        fields[field] = (await this.#gpu.readF32(heads[field].loss, 1))[0];
        total += FIELD_LOSS_WEIGHTS[field] * fields[field];
      }
      return { total, fields };
    } finally {
      // Let recorded work finish before its buffers go. When the step already
      // failed, that failure is the one to report, not a follow-on one.
      await this.#gpu.flush().catch(() => undefined);
      buffers.release();
      this.#stepping = false;
    }
  }

  /** Reads the current parameters back, by name, in the model's order. */
  async readParameters(): Promise<Parameters> {
    const parameters: Parameters = new Map();
    for (const [name, tensor] of this.#tensors) {
      parameters.set(name, await this.#gpu.readF32(tensor.value, tensor.size));
    }
    return parameters;
  }

  #tensor(name: string, part: "value" | "grad" = "value"): GPUBuffer {
    return this.#tensors.get(name)![part];
  }

  #layer(layer: number, part: "value" | "grad"): GpuLayerWeights {
    return Object.fromEntries(
      LAYER_TENSORS.map((name) => [name, this.#tensor(`layers.${layer}.${name}`, part)]),
    ) as GpuLayerWeights;
  }

  #film(layer: number, part: "value" | "grad"): GpuFilmWeights {
    return Object.fromEntries(
      FILM_TENSORS.map((name) => [name, this.#tensor(`film.${layer}.${name}`, part)]),
    ) as GpuFilmWeights;
  }

  #checkBatch(batch: ModelBatch): void {
    const rows = batch.batch * batch.seqLen;
    if (batch.seqLen > this.config.contextLength) {
      throw new RangeError(
        `Cannot run GenTRX: sequence length ${batch.seqLen} exceeds the context of ${this.config.contextLength}`,
      );
    }
    const fieldLengths = FIELDS.flatMap((field) => [
      batch.inputs[field].length,
      batch.targets[field].length,
    ]);
    if (
      batch.midDeltaIds.length !== rows ||
      batch.conditions.length !== rows * conditionSize(this.config.tokenizer) ||
      fieldLengths.some((length) => length !== rows)
    ) {
      throw new RangeError(
        `Cannot run GenTRX: batch arrays do not match ${batch.batch}×${batch.seqLen} positions`,
      );
    }
  }

  /** Records the forward and backward passes; every tensor's `grad` holds its gradient after. */
  #forwardAndBackward(buffers: StepBuffers, batch: ModelBatch): GpuHeadsPass["heads"] {
    this.#checkBatch(batch);
    const gpu = this.#gpu;
    const { modelDim: d, tokenizer } = this.config;
    const sizes = fieldSizes(tokenizer);
    const rows = batch.batch * batch.seqLen;
    const width = rows * d;
    const shape = layerShape(this.config, batch.batch, batch.seqLen);
    const filmShape: FilmShape = {
      rows,
      conditionSize: conditionSize(tokenizer),
      hidden: this.config.filmHidden,
      modelDim: d,
    };

    // Embeddings: the mid-delta row plus one row per field token.
    const ids = (values: Int32Array, vocab: number) =>
      buffers.adopt(new EmbeddingIds(gpu, values, vocab));
    const midDeltaIds = ids(batch.midDeltaIds, midDeltaVocab(tokenizer));
    const fieldIds = Object.fromEntries(
      FIELDS.map((field) => [field, ids(batch.inputs[field], sizes[field])]),
    ) as Record<Field, EmbeddingIds>;
    let x = buffers.take(width, "embedded");
    embeddingGpu(gpu, this.#tensor("embed.midDelta"), midDeltaIds, x, d);
    const looked = buffers.take(width, "field embedding");
    for (const field of FIELDS) {
      embeddingGpu(gpu, this.#tensor(`embed.${field}`), fieldIds[field], looked, d);
      addScaledGpu(gpu, looked, x, width);
    }

    // Decoder layers, with FiLM after the configured ones.
    const conditions = buffers.upload(batch.conditions, "conditions");
    const filmLayers = new Set(this.config.filmLayers);
    const layers: GpuLayerCache[] = [];
    const films = new Map<number, GpuFilmCache>();
    for (let layer = 0; layer < this.config.layers; layer++) {
      const step = decoderLayerForwardGpu(
        buffers,
        x,
        this.#layer(layer, "value"),
        this.config,
        shape,
      );
      layers.push(step.cache);
      x = step.y;
      if (filmLayers.has(layer)) {
        const modulated = filmForwardGpu(
          buffers,
          x,
          conditions,
          this.#film(layer, "value"),
          filmShape,
        );
        films.set(layer, modulated.cache);
        x = modulated.y;
      }
    }

    // Heads and losses, then their backward pass down to the last layer's output.
    const value = (name: string) => this.#tensor(name);
    const gradient = (name: string) => this.#tensor(name, "grad");
    const heads = fieldHeadsForwardGpu(buffers, x, value, batch.targets, this.config, rows);
    let dX = fieldHeadsBackwardGpu(buffers, heads, value, gradient, this.config, rows);

    // Backward through the layers (and their FiLM) in reverse, then the embeddings.
    for (let layer = this.config.layers - 1; layer >= 0; layer--) {
      const film = films.get(layer);
      if (film !== undefined) {
        dX = filmBackwardStepGpu(
          buffers,
          dX,
          conditions,
          this.#film(layer, "value"),
          film,
          this.#film(layer, "grad"),
          filmShape,
        );
      }
      dX = decoderLayerBackwardGpu(
        buffers,
        dX,
        this.#layer(layer, "value"),
        layers[layer],
        this.#layer(layer, "grad"),
        this.config,
        shape,
      );
    }
    embeddingBackwardGpu(gpu, midDeltaIds, dX, this.#tensor("embed.midDelta", "grad"), d);
    for (const field of FIELDS) {
      embeddingBackwardGpu(gpu, fieldIds[field], dX, this.#tensor(`embed.${field}`, "grad"), d);
    }
    return heads.heads;
  }
}
