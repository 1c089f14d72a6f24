import { deepEqual, equal } from "node:assert/strict";
import { FifoLots } from "@/engine/scoring/fifo_lots.ts";

const near = (a: number, b: number) => equal(Math.abs(a - b) < 1e-9, true, `${a} vs ${b}`);

Deno.test("a sell closes the oldest long lots first, net of pro-rata fees", () => {
  const lots = new FifoLots();
  lots.apply({ side: 0, price: 100, quantity: 2, fee: 0.2 });
  lots.apply({ side: 0, price: 110, quantity: 2, fee: 0.4 });
  const result = lots.apply({ side: 1, price: 120, quantity: 3, fee: 0.3 });
  // Lot 1: 2 × (120 − 100) − 0.2 − 0.2 (2/3 of the close fee)
  // Lot 2: 1 × (120 − 110) − 0.2 (half its open fee) − 0.1
  near(result.realizedPnl, 40 - 0.4 + 10 - 0.3);
  near(result.roundTripValue, 360);
  equal(lots.position, 1);
  near(lots.lots[0].fee, 0.2);
});

Deno.test("a fill larger than the position flips it; rebates add to PnL", () => {
  const lots = new FifoLots();
  lots.apply({ side: 1, price: 50, quantity: 1, fee: -0.05 });
  const result = lots.apply({ side: 0, price: 45, quantity: 3, fee: 0.3 });
  near(result.realizedPnl, 5 + 0.05 - 0.1);
  near(result.roundTripValue, 45);
  equal(lots.position, 2);
  deepEqual(lots.lots.map((lot) => [lot.side, lot.price, lot.quantity]), [[0, 45, 2]]);
});

Deno.test("same-side fills only open lots", () => {
  const lots = new FifoLots();
  deepEqual(lots.apply({ side: 0, price: 1, quantity: 1, fee: 0 }), {
    realizedPnl: 0,
    roundTripValue: 0,
  });
  lots.apply({ side: 0, price: 2, quantity: 1, fee: 0 });
  equal(lots.lots.length, 2);
});
