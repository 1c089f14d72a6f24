import { deepEqual, equal, notDeepEqual, ok, rejects, throws } from "node:assert/strict";
import type { Depth } from "@/engine/book_records.ts";
import { randomBatch } from "@/engine/gentrx/_random_batch.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { generateOrders, type GenerationContext, windowBatch } from "@/engine/gentrx/generate.ts";
import { fieldLogits } from "@/engine/gentrx/generate_logits.ts";
import { sampleBin } from "@/engine/gentrx/generate_sampling.ts";
import { FIELD_LOSS_WEIGHTS, fieldTargets } from "@/engine/gentrx/loss.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { softmaxCrossEntropy } from "@/engine/gentrx/ops/cross_entropy.ts";
import { type OrderFlowRow, OrderType } from "@/engine/gentrx/order_flow.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { FIELDS, fieldSizes, Tokenizer } from "@/engine/gentrx/tokenizer.ts";

const BOOK: Depth = {
  bids: [{ priceTicks: 10_000, quantityLots: 50_000 }],
  asks: [{ priceTicks: 10_001, quantityLots: 50_000 }],
};

/** Bids and asks alternating around the touch, 1 ms apart. */
const CONTEXT: GenerationContext = {
  initialBook: BOOK,
  rows: Array.from({ length: 12 }, (_, i): OrderFlowRow => ({
    type: i % 2 === 0 ? OrderType.Bid : OrderType.Ask,
    timestampNs: 1e9 + i * 1e6,
    priceTicks: i % 2 === 0 ? 9_999 : 10_002,
    quantityLots: 20_000,
    bookAfter: BOOK,
  })),
};

const model = GenTrxModel.create(TINY_GENTRX_CONFIG, 11);
const tokenizer = new Tokenizer(TINY_GENTRX_CONFIG.tokenizer);
const cpuLogits = (batch: Parameters<typeof fieldLogits>[1]) => fieldLogits(model, batch);
const OPTIONS = { steps: 6, seed: 5, temperature: 1, contextLength: 8 };

Deno.test("the inference logits give exactly the training forward's loss", () => {
  const batch = randomBatch(TINY_GENTRX_CONFIG, 2, 5, 3);
  const logits = fieldLogits(model, batch);
  const sizes = fieldSizes(TINY_GENTRX_CONFIG.tokenizer);
  let total = 0;
  for (const field of FIELDS) {
    const targets = fieldTargets(field, batch.targets[field], sizes[field]);
    total += FIELD_LOSS_WEIGHTS[field] *
      softmaxCrossEntropy(logits[field], targets, 10, sizes[field]).loss;
  }
  ok(Math.abs(total - model.loss(batch).total) < 1e-6, `${total} vs ${model.loss(batch).total}`);
});

Deno.test("sampleBin follows the tempered softmax, and top-k 1 is the argmax", () => {
  const logits = new Float32Array([0, Math.log(3), -1e9, Math.log(6)]);
  const random = new SeededRandom(1);
  const draws = 20_000;
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < draws; i++) counts[sampleBin(logits, { temperature: 1 }, random)]++;
  const expected = [0.1, 0.3, 0, 0.6];
  // Four binomial standard deviations at p = 0.5 over 20 000 draws is about 0.014.
  counts.forEach((count, bin) => ok(Math.abs(count / draws - expected[bin]) < 0.015, `${bin}`));
  equal(sampleBin(logits, { temperature: 1, topK: 1 }, random), 3);
  // Temperature 2 halves log-odds: weights 1, √3, 0, √6.
  let second = 0;
  for (let i = 0; i < draws; i++) {
    second += sampleBin(logits, { temperature: 2 }, random) === 1 ? 1 : 0;
  }
  const sqrt3 = Math.sqrt(3) / (1 + Math.sqrt(3) + Math.sqrt(6));
  ok(Math.abs(second / draws - sqrt3) < 0.015);
  // Top-2 keeps bins 1 and 3 only.
  for (let i = 0; i < 100; i++) {
    ok([1, 3].includes(sampleBin(logits, { temperature: 1, topK: 2 }, random)));
  }
  throws(
    () => sampleBin(logits, { temperature: 0 }, random),
    /Invalid sampling: temperature is 0, expected a positive number/,
  );
  throws(
    () => sampleBin(logits, { temperature: 1, topK: 1.5 }, random),
    /Invalid sampling: topK is 1.5, expected an integer ≥ 1/,
  );
});

Deno.test("generation is deterministic for a seed and differs across seeds", async () => {
  const first = await generateOrders(cpuLogits, tokenizer, CONTEXT, OPTIONS);
  const again = await generateOrders(cpuLogits, tokenizer, CONTEXT, OPTIONS);
  const other = await generateOrders(cpuLogits, tokenizer, CONTEXT, { ...OPTIONS, seed: 6 });
  equal(first.length, OPTIONS.steps);
  deepEqual(first, again);
  notDeepEqual(first, other);
  let previous = CONTEXT.rows[CONTEXT.rows.length - 1].timestampNs;
  for (const order of first) {
    ok(order.priceTicks >= 1 && order.quantityLots >= 1);
    ok(order.timestampNs >= previous, "timestamps never go backwards");
    ok(order.type >= 0 && order.type <= OrderType.ExecSell);
    previous = order.timestampNs;
  }
});

Deno.test("greedy generation decodes the argmax tokens of the last position", async () => {
  const window = tokenizer.encode(CONTEXT.initialBook, CONTEXT.rows).slice(-OPTIONS.contextLength);
  const batch = windowBatch(window, tokenizer);
  const logits = fieldLogits(model, batch);
  const sizes = fieldSizes(tokenizer.config);
  const argmax = (field: typeof FIELDS[number]) => {
    const last = logits[field].subarray((batch.seqLen - 1) * sizes[field]);
    return last.indexOf(Math.max(...last));
  };
  const [order] = await generateOrders(cpuLogits, tokenizer, CONTEXT, {
    ...OPTIONS,
    steps: 1,
    topK: 1,
  });
  const mid = (BOOK.bids[0].priceTicks + BOOK.asks[0].priceTicks) / 2;
  const previous = CONTEXT.rows[CONTEXT.rows.length - 1].timestampNs;
  const tokens = tokenizer.tokensOf(order, mid, order.timestampNs - previous);
  for (const field of FIELDS) equal(tokens[field], argmax(field), field);
});

Deno.test("the model reads at most contextLength events, and the book follows bookAfter", async () => {
  const lengths: number[] = [];
  const shifted: Depth = {
    bids: [{ priceTicks: 10_100, quantityLots: 10_000 }],
    asks: [{ priceTicks: 10_102, quantityLots: 10_000 }],
  };
  const rows = await generateOrders(
    (batch) => {
      lengths.push(batch.seqLen);
      return fieldLogits(model, batch);
    },
    tokenizer,
    { initialBook: BOOK, rows: CONTEXT.rows.slice(0, 3) },
    { ...OPTIONS, steps: 7, contextLength: 5, bookAfter: () => shifted },
  );
  deepEqual(lengths, [3, 4, 5, 5, 5, 5, 5]);
  ok(rows.every((row) => row.bookAfter === shifted));
});

Deno.test("generation names what it cannot start from", async () => {
  await rejects(
    generateOrders(cpuLogits, tokenizer, { initialBook: BOOK, rows: [] }, OPTIONS),
    /Cannot generate: the context has no events, expected at least 1/,
  );
  await rejects(
    generateOrders(cpuLogits, tokenizer, CONTEXT, { ...OPTIONS, steps: -1 }),
    /Cannot generate: steps is -1, expected an integer ≥ 0/,
  );
  await rejects(
    generateOrders(
      () => ({ ...fieldLogits(model, randomBatch(TINY_GENTRX_CONFIG, 1, 2, 1)) }),
      tokenizer,
      CONTEXT,
      OPTIONS,
    ),
    /Cannot sample type: got 10 logits, expected 8×5/,
  );
});
