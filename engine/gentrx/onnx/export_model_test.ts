import { ok } from "node:assert/strict";
import * as ort from "onnxruntime-web";
import { randomBatch } from "@/engine/gentrx/_random_batch.ts";
import { encodeCheckpoint } from "@/engine/gentrx/checkpoint.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { generateOrders } from "@/engine/gentrx/generate.ts";
import { fieldLogits } from "@/engine/gentrx/generate_logits.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { checkpointToOnnx, exportOnnx } from "@/engine/gentrx/onnx/export_model.ts";
import { OnnxFieldLogits } from "@/engine/gentrx/onnx/onnx_logits.ts";
import { OrderType } from "@/engine/gentrx/order_flow.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { FIELDS, Tokenizer } from "@/engine/gentrx/tokenizer.ts";

/** float32 reference vs ORT's float32 kernels (different summation orders). */
const TOLERANCE = { atol: 1e-4, rtol: 1e-3 };

ort.env.wasm.numThreads = 1;

function assertClose(actual: Float32Array, expected: Float32Array, label: string): void {
  ok(actual.length === expected.length, `${label}: ${actual.length} vs ${expected.length} values`);
  for (let i = 0; i < expected.length; i++) {
    const limit = TOLERANCE.atol + TOLERANCE.rtol * Math.abs(expected[i]);
    ok(
      Math.abs(actual[i] - expected[i]) <= limit,
      `${label}[${i}]: ${actual[i]} vs ${expected[i]} (limit ${limit})`,
    );
  }
}

/** A tiny model with its FiLM outputs and norms moved off their identity start, so every path counts. */
function trainedLookingModel(): GenTrxModel {
  const model = GenTrxModel.create(TINY_GENTRX_CONFIG, 21);
  const random = new SeededRandom(22);
  for (const [name, values] of model.parameters) {
    if (!name.startsWith("film.") && !name.endsWith("Norm") && !name.endsWith(".norm")) continue;
    for (let i = 0; i < values.length; i++) values[i] += 0.1 * random.normal();
  }
  return model;
}

Deno.test("onnxruntime-web runs the exported model to the CPU reference's logits", async () => {
  const model = trainedLookingModel();
  const onnx = checkpointToOnnx(encodeCheckpoint(model));
  const session = await OnnxFieldLogits.create(ort, onnx);
  try {
    // Two batch shapes through one session: the batch and sequence axes are dynamic.
    for (const [batchSize, seqLen, seed] of [[2, 7, 1], [1, TINY_GENTRX_CONFIG.contextLength, 2]]) {
      const batch = randomBatch(TINY_GENTRX_CONFIG, batchSize, seqLen, seed);
      const expected = fieldLogits(model, batch);
      const actual = await session.logits(batch);
      for (const field of FIELDS) assertClose(actual[field], expected[field], field);
    }
  } finally {
    await session.release();
  }
});

Deno.test("ONNX and CPU generation agree on greedy orders", async () => {
  const model = trainedLookingModel();
  const tokenizer = new Tokenizer(TINY_GENTRX_CONFIG.tokenizer);
  const session = await OnnxFieldLogits.create(ort, exportOnnx(model));
  const book = {
    bids: [{ priceTicks: 10_000, quantityLots: 50_000 }],
    asks: [{ priceTicks: 10_002, quantityLots: 40_000 }],
  };
  const context = {
    initialBook: book,
    rows: Array.from({ length: 6 }, (_, i) => ({
      type: i % 2 === 0 ? OrderType.Bid : OrderType.Ask,
      timestampNs: 1e9 + i * 2e6,
      priceTicks: 10_000 + (i % 3),
      quantityLots: 12_345,
      bookAfter: book,
    })),
  };
  const options = { steps: 4, seed: 9, temperature: 1, topK: 1, contextLength: 8 };
  try {
    const cpu = await generateOrders((b) => fieldLogits(model, b), tokenizer, context, options);
    const onnx = await generateOrders((b) => session.logits(b), tokenizer, context, options);
    ok(JSON.stringify(cpu) === JSON.stringify(onnx), "greedy orders differ");
  } finally {
    await session.release();
  }
});
