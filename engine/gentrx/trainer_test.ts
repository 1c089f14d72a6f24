import { deepEqual, equal, ok } from "node:assert/strict";
import { randomBatch } from "@/engine/gentrx/_random_batch.ts";
import { makeBatch } from "@/engine/gentrx/batch.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { type OrderFlowRow, OrderType } from "@/engine/gentrx/order_flow.ts";
import { Tokenizer } from "@/engine/gentrx/tokenizer.ts";
import { TAOS_ADAMW_OPTIONS, Trainer } from "@/engine/gentrx/trainer.ts";

/** A learning rate high enough to fit a fixed batch in a few dozen steps. */
const FAST_OPTIONS = { ...TAOS_ADAMW_OPTIONS, lr: 3e-3 };
const STEPS = 30;

Deno.test("the loss falls over a few dozen steps on a fixed seeded batch", () => {
  const trainer = new Trainer(GenTrxModel.create(TINY_GENTRX_CONFIG, 1), FAST_OPTIONS);
  const batch = randomBatch(TINY_GENTRX_CONFIG, 2, 16, 2);
  const losses = Array.from({ length: STEPS }, () => trainer.step(batch).total);
  const after = trainer.model.loss(batch).total;
  equal(trainer.steps, STEPS);
  ok(after < 0.6 * losses[0], `loss ${losses[0]} → ${after}`);
});

Deno.test("training is deterministic for a seed", () => {
  const run = () => {
    const trainer = new Trainer(GenTrxModel.create(TINY_GENTRX_CONFIG, 3), FAST_OPTIONS);
    const batch = randomBatch(TINY_GENTRX_CONFIG, 1, 8, 4);
    for (let i = 0; i < 3; i++) trainer.step(batch);
    return trainer.model.parameters;
  };
  deepEqual(run(), run());
});

Deno.test("a model learns a regular order flow through the tokenizer", () => {
  // Bids and asks alternate one tick outside the touch, 2 units each, 1 ms apart.
  const book = (bidTicks: number) => ({
    bids: [{ priceTicks: bidTicks, quantityLots: 50_000 }],
    asks: [{ priceTicks: bidTicks + 1, quantityLots: 50_000 }],
  });
  const rows: OrderFlowRow[] = Array.from({ length: 34 }, (_, i) => ({
    type: i % 2 === 0 ? OrderType.Bid : OrderType.Ask,
    timestampNs: 1e9 + i * 1e6,
    priceTicks: i % 2 === 0 ? 9_999 : 10_002,
    quantityLots: 20_000,
    bookAfter: book(10_000),
  }));
  const tokenized = new Tokenizer().encode(book(10_000), rows);
  const batch = makeBatch(
    [tokenized.slice(0, 17), tokenized.slice(17)],
    TINY_GENTRX_CONFIG.tokenizer,
  );
  const trainer = new Trainer(GenTrxModel.create(TINY_GENTRX_CONFIG, 5), FAST_OPTIONS);
  const before = trainer.model.loss(batch).fields.type;
  for (let i = 0; i < 20; i++) trainer.step(batch);
  const after = trainer.model.loss(batch).fields.type;
  ok(after < 0.1 * before, `type loss ${before} → ${after}`);
});
