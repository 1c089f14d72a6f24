/**
 * Exports a GenTRX model's inference forward pass (`generate_logits.ts`) as
 * a standard ONNX graph, for generation with onnxruntime-web
 * (ARCHITECTURE.md decision 8: "Inference/generation uses onnxruntime-web
 * on an exported ONNX checkpoint").
 *
 * Inputs, each `[batch, seq]` int32 unless noted:
 * `tokens.<field>` for the five fields, `midDeltaIds`, and `conditions`
 * (float32 `[batch, seq, conditionSize]`). Outputs: `logits.<field>`,
 * float32 `[batch, seq, bins]`. `seq` may be anything up to the config's
 * `contextLength`.
 *
 * Only opset-13 standard operators are used. RoPE's cos/sin tables and the
 * causal mask are precomputed for `contextLength` positions as initializers
 * and sliced to the input's length; every model tensor is an initializer
 * under its checkpoint name, stored [in, out] so a linear layer is one MatMul.
 *
 * @module
 */
import { decodeCheckpoint } from "@/engine/gentrx/checkpoint.ts";
import type { GenTrxModel } from "@/engine/gentrx/model.ts";
import { OnnxGraphBuilder } from "@/engine/gentrx/onnx/graph_builder.ts";
import { OnnxDataType } from "@/engine/gentrx/onnx/onnx_schema.ts";
import { conditionSize, type Field, FIELDS, fieldSizes } from "@/engine/gentrx/tokenizer.ts";

/** The opset whose operator definitions the graph follows (ReduceMean axes as an attribute). */
export const GENTRX_ONNX_OPSET = 13;
/** Input names of the exported graph. */
export const ONNX_TOKEN_INPUT = (field: Field) => `tokens.${field}`;
export const ONNX_MID_DELTA_INPUT = "midDeltaIds";
export const ONNX_CONDITIONS_INPUT = "conditions";
/** Output name of a field's logits. */
export const ONNX_LOGITS_OUTPUT = (field: Field) => `logits.${field}`;

/** Added to attention scores above the diagonal: exp() of it underflows to exactly 0 in float32. */
const MASKED_SCORE = -1e30;
const BATCH_DIM = "batch";
const SEQ_DIM = "seq";

/** Last axis, for per-position norms and softmaxes. */
const LAST_AXIS = -1;

/** Serialises `model`'s forward pass as `.onnx` bytes. */
export function exportOnnx(model: GenTrxModel): Uint8Array {
  const { config, parameters } = model;
  const { modelDim: d, heads, normEps, contextLength, ropeBase } = config;
  const headDim = d / heads;
  const half = headDim / 2;
  const g = new OnnxGraphBuilder();
  const weight = (name: string, dims: number[]) => g.floats(name, dims, parameters.get(name)!);
  const sizes = fieldSizes(config.tokenizer);
  const tokenShape = [BATCH_DIM, SEQ_DIM];

  const tokens = Object.fromEntries(FIELDS.map((field) => [
    field,
    g.input({ name: ONNX_TOKEN_INPUT(field), elemType: OnnxDataType.Int32, shape: tokenShape }),
  ])) as Record<Field, string>;
  const midDeltaIds = g.input({
    name: ONNX_MID_DELTA_INPUT,
    elemType: OnnxDataType.Int32,
    shape: tokenShape,
  });
  const width = conditionSize(config.tokenizer);
  const conditions = g.input({
    name: ONNX_CONDITIONS_INPUT,
    elemType: OnnxDataType.Float,
    shape: [BATCH_DIM, SEQ_DIM, width],
  });

  // The sequence length as a 1-element int64 tensor, to slice the precomputed tables.
  const zero = g.int64s("zero", [0]);
  const one = g.int64s("one", [1]);
  const two = g.int64s("two", [2]);
  const seqLen = g.op("Slice", [g.op("Shape", [tokens.type], "input_shape"), one, two], "seq_len");
  const seqSquare = g.op("Concat", [seqLen, seqLen], "seq_square", { axis: { i: 0 } });
  const firstAxes = g.int64s("axes_0_1", [0, 1]);
  const mask = g.op(
    "Slice",
    [
      g.floats("causal_mask", [contextLength, contextLength], causalMask(contextLength)),
      g
        .int64s("zeros_2", [0, 0]),
      seqSquare,
      firstAxes,
    ],
    "mask",
  );
  const { cos, sin } = ropeTables(contextLength, headDim, ropeBase);
  const ropeCos = g.op("Slice", [
    g.floats("rope_cos", [contextLength, 1, half], cos),
    zero,
    seqLen,
    zero,
  ], "cos");
  const ropeSin = g.op("Slice", [
    g.floats("rope_sin", [contextLength, 1, half], sin),
    zero,
    seqLen,
    zero,
  ], "sin");

  const eps = g.scalar("norm_eps", normEps);
  const rmsNorm = (x: string, weightName: string) => {
    const meanSquare = g.op("ReduceMean", [g.op("Mul", [x, x], "square")], "mean_square", {
      axes: { ints: [LAST_AXIS] },
      keepdims: { i: 1 },
    });
    const rms = g.op("Sqrt", [g.op("Add", [meanSquare, eps], "mean_square_eps")], "rms");
    return g.op("Mul", [g.op("Div", [x, rms], "normalised"), weight(weightName, [d])], "norm");
  };
  const swiglu = (gate: string, up: string) =>
    g.op("Mul", [g.op("Mul", [gate, g.op("Sigmoid", [gate], "sigmoid")], "silu"), up], "swiglu");

  const headShape = g.int64s("head_shape", [0, 0, heads, headDim]);
  const pairShape = g.int64s("pair_shape", [0, 0, heads, half, 2]);
  const modelShape = g.int64s("model_shape", [0, 0, d]);
  const evenIndex = g.int64s("even", [0], []);
  const oddIndex = g.int64s("odd", [1], []);
  const pairAxis = g.int64s("pair_axis", [4]);
  const rope = (x: string) => {
    const pairs = g.op("Reshape", [x, pairShape], "pairs");
    const even = g.op("Gather", [pairs, evenIndex], "even", { axis: { i: 4 } });
    const odd = g.op("Gather", [pairs, oddIndex], "odd", { axis: { i: 4 } });
    const rotatedEven = g.op("Sub", [
      g.op("Mul", [even, ropeCos], "even_cos"),
      g.op("Mul", [odd, ropeSin], "odd_sin"),
    ], "rotated_even");
    const rotatedOdd = g.op("Add", [
      g.op("Mul", [even, ropeSin], "even_sin"),
      g.op("Mul", [odd, ropeCos], "odd_cos"),
    ], "rotated_odd");
    const stacked = g.op(
      "Concat",
      [
        g.op("Unsqueeze", [rotatedEven, pairAxis], "even_pair"),
        g.op("Unsqueeze", [rotatedOdd, pairAxis], "odd_pair"),
      ],
      "rotated_pairs",
      { axis: { i: 4 } },
    );
    return g.op("Reshape", [stacked, headShape], "rotated");
  };
  const scale = g.scalar("attention_scale", 1 / Math.sqrt(headDim));
  const linear = (x: string, name: string, inDim: number, outDim: number) =>
    g.op("MatMul", [x, weight(name, [inDim, outDim])], name.replaceAll(".", "_"));

  let x = g.op(
    "Gather",
    [
      weight("embed.midDelta", [
        2 * config.tokenizer.midDeltaRangeTicks + 1,
        d,
      ]),
      midDeltaIds,
    ],
    "embed_mid_delta",
    { axis: { i: 0 } },
  );
  for (const field of FIELDS) {
    const table = weight(`embed.${field}`, [sizes[field], d]);
    x = g.op("Add", [
      x,
      g.op("Gather", [table, tokens[field]], `embed_${field}`, { axis: { i: 0 } }),
    ], "embedded");
  }

  const filmLayers = new Set(config.filmLayers);
  for (let layer = 0; layer < config.layers; layer++) {
    const p = `layers.${layer}`;
    const attnIn = rmsNorm(x, `${p}.attnNorm`);
    const perHead = (name: string) =>
      g.op("Reshape", [linear(attnIn, `${p}.${name}`, d, d), headShape], name);
    const q = g.op("Transpose", [rope(perHead("wq"))], "q", { perm: { ints: [0, 2, 1, 3] } });
    const kT = g.op("Transpose", [rope(perHead("wk"))], "k_t", { perm: { ints: [0, 2, 3, 1] } });
    const v = g.op("Transpose", [perHead("wv")], "v", { perm: { ints: [0, 2, 1, 3] } });
    const scores = g.op("Add", [
      g.op("Mul", [g.op("MatMul", [q, kT], "scores"), scale], "scaled_scores"),
      mask,
    ], "masked_scores");
    const probs = g.op("Softmax", [scores], "attention", { axis: { i: LAST_AXIS } });
    const attended = g.op("Transpose", [g.op("MatMul", [probs, v], "attended")], "attended_rows", {
      perm: { ints: [0, 2, 1, 3] },
    });
    const attnOut = g.op("Reshape", [attended, modelShape], "attention_out");
    const h = g.op("Add", [linear(attnOut, `${p}.wo`, d, d), x], "residual");
    const mlpIn = rmsNorm(h, `${p}.mlpNorm`);
    const act = swiglu(
      linear(mlpIn, `${p}.wGate`, d, config.ffDim),
      linear(mlpIn, `${p}.wUp`, d, config.ffDim),
    );
    x = g.op("Add", [linear(act, `${p}.wDown`, config.ffDim, d), h], "layer_out");
    if (filmLayers.has(layer)) {
      const f = `film.${layer}`;
      const hidden = config.filmHidden;
      const filmAct = swiglu(
        linear(conditions, `${f}.wGate`, width, hidden),
        linear(conditions, `${f}.wUp`, width, hidden),
      );
      const gammaPlusOne = g.op("Add", [
        linear(filmAct, `${f}.wGamma`, hidden, d),
        g.scalar("one_f", 1),
      ], "gamma_plus_one");
      x = g.op("Add", [
        g.op("Mul", [x, gammaPlusOne], "modulated"),
        linear(filmAct, `${f}.wBeta`, hidden, d),
      ], "film_out");
    }
  }

  const final = rmsNorm(x, "finalNorm");
  for (const field of FIELDS) {
    const logits = linear(
      rmsNorm(final, `head.${field}.norm`),
      `head.${field}.weight`,
      d,
      sizes[field],
    );
    g.output(logits, {
      name: ONNX_LOGITS_OUTPUT(field),
      elemType: OnnxDataType.Float,
      shape: [BATCH_DIM, SEQ_DIM, sizes[field]],
    });
  }
  return g.encode({
    graphName: "gentrx",
    producerName: "marketforge",
    docString: `GenTRX order-flow model: ${JSON.stringify(config)}`,
    opsetVersion: GENTRX_ONNX_OPSET,
  });
}

/** Exports the model stored in checkpoint bytes (engine/gentrx/checkpoint.ts). */
export function checkpointToOnnx(checkpoint: Uint8Array): Uint8Array {
  return exportOnnx(decodeCheckpoint(checkpoint));
}

/** [n, n]: 0 where key j ≤ query i, {@link MASKED_SCORE} above the diagonal. */
function causalMask(n: number): Float32Array {
  const mask = new Float32Array(n * n);
  for (let i = 0; i < n; i++) mask.fill(MASKED_SCORE, i * n + i + 1, (i + 1) * n);
  return mask;
}

/** cos and sin of RoPE's angle position·base^(−2i/headDim), [positions, half] (ops/rope.ts). */
function ropeTables(positions: number, headDim: number, base: number) {
  const half = headDim / 2;
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let position = 0; position < positions; position++) {
    for (let i = 0; i < half; i++) {
      const angle = position * Math.pow(base, (-2 * i) / headDim);
      cos[position * half + i] = Math.cos(angle);
      sin[position * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}
