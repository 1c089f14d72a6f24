import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { randomBatch } from "@/engine/gentrx/_random_batch.ts";
import { type GenTrxConfig, TAOS_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { FIELD_LOSS_WEIGHTS } from "@/engine/gentrx/loss.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { assertGradient } from "@/engine/gentrx/ops/_gradient_check.ts";
import { parameterCount } from "@/engine/gentrx/parameters.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { FIELDS, TAOS_TOKENIZER_CONFIG } from "@/engine/gentrx/tokenizer.ts";

/** Small enough that every parameter can be checked by finite differences. */
const MICRO_CONFIG: GenTrxConfig = {
  ...TAOS_GENTRX_CONFIG,
  modelDim: 8,
  layers: 2,
  heads: 2,
  ffDim: 12,
  contextLength: 8,
  filmLayers: [0, 1],
  filmHidden: 3,
  tokenizer: {
    ...TAOS_TOKENIZER_CONFIG,
    priceBins: 9,
    priceRangeTicks: 20,
    volumeIntBins: 5,
    volumeIntMax: 10,
    volumeDecBins: 4,
    intervalBins: 6,
    intervalMaxNs: 100,
    midDeltaRangeTicks: 3,
    lobLevels: 2,
  },
};

Deno.test("τaos's config has about 12.1 M parameters (taos.md §6.1)", () => {
  const count = parameterCount(TAOS_GENTRX_CONFIG);
  // 8 layers × 1 327 680 + 4001 mid-delta and 241 field embedding rows of 288 + heads + 3 FiLM generators.
  equal(count, 12_033_312);
  ok(Math.abs(count - 12.1e6) / 12.1e6 < 0.01);
  const model = GenTrxModel.create({ ...TAOS_GENTRX_CONFIG, layers: 1, filmLayers: [0] }, 1);
  let allocated = 0;
  for (const values of model.parameters.values()) allocated += values.length;
  equal(allocated, parameterCount(model.config));
});

Deno.test("the same seed builds the same model", () => {
  const a = GenTrxModel.create(MICRO_CONFIG, 3);
  const b = GenTrxModel.create(MICRO_CONFIG, 3);
  deepEqual(a.parameters, b.parameters);
  const batch = randomBatch(MICRO_CONFIG, 2, 4, 5);
  equal(a.loss(batch).total, b.loss(batch).total);
});

Deno.test("the total loss is τaos's weighted sum of the field losses", () => {
  const { total, fields } = GenTrxModel.create(MICRO_CONFIG, 4).loss(
    randomBatch(MICRO_CONFIG, 2, 4, 6),
  );
  const weighted = FIELDS.reduce(
    (sum, field) => sum + FIELD_LOSS_WEIGHTS[field] * fields[field],
    0,
  );
  ok(Math.abs(total - weighted) < 1e-9);
});

Deno.test("every gradient of the whole model matches finite differences", () => {
  const model = GenTrxModel.create(MICRO_CONFIG, 7);
  // Larger random weights everywhere (FiLM outputs and norms included) so no path is trivially zero.
  const random = new SeededRandom(8);
  for (const values of model.parameters.values()) {
    for (let i = 0; i < values.length; i++) values[i] += 0.3 * random.normal();
  }
  const batch = randomBatch(MICRO_CONFIG, 2, 4, 9);
  const { gradients } = model.lossAndGradients(batch);
  for (const [name, values] of model.parameters) {
    assertGradient(
      () => model.loss(batch).total,
      values,
      gradients.get(name)!,
      { atol: 2e-3, rtol: 2e-2 },
      name,
    );
  }
});

Deno.test("a model refuses wrong-sized tensors, sequences beyond its context and ragged batches", () => {
  const model = GenTrxModel.create(MICRO_CONFIG, 1);
  const parameters = new Map(model.parameters);
  parameters.set("layers.0.wq", new Float32Array(100));
  throws(
    () => new GenTrxModel(MICRO_CONFIG, parameters),
    /Cannot build GenTRX model: tensor "layers.0.wq" has 100 values, expected 64/,
  );
  throws(
    () => model.loss(randomBatch(MICRO_CONFIG, 1, 9, 1)),
    /Cannot run GenTRX: sequence length 9 exceeds the context of 8/,
  );
  const batch = randomBatch(MICRO_CONFIG, 2, 4, 1);
  batch.targets.price = batch.targets.price.subarray(1);
  throws(() => model.loss(batch), /Cannot run GenTRX: batch arrays do not match 2×4 positions/);
});
