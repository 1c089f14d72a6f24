import { deepEqual, notDeepEqual } from "node:assert/strict";
import type { BookEvent, Depth, Instruction } from "@/engine/book_records.ts";
import { NoiseTrader, type NoiseTraderOptions } from "@/engine/noise_trader.ts";

const emptyBook: Depth = { bids: [], asks: [] };
const grid = { bookId: 3, priceDecimals: 2, volumeDecimals: 4 };

function trader(options: Partial<NoiseTraderOptions> = {}): NoiseTrader {
  return new NoiseTrader({ agentId: -1, seed: 1, startPriceTicks: 30_000, ...grid, ...options });
}

function decisions(seed: number, steps: number): Instruction[][] {
  const noise = trader({ seed });
  return Array.from({ length: steps }, () => noise.decide(emptyBook));
}

function placed(orderId: number, agentId: number, priceTicks: number): BookEvent {
  return {
    kind: "placed",
    bookId: 3,
    timeNs: 0,
    orderId,
    agentId,
    clientOrderId: 0,
    side: 0,
    priceTicks,
    quantityLots: 5,
  };
}

Deno.test("the same seed gives the same decisions; another seed does not", () => {
  deepEqual(decisions(42, 50), decisions(42, 50));
  notDeepEqual(decisions(42, 50), decisions(43, 50));
});

Deno.test("orders are limit orders on the book's grid near the reference price", () => {
  for (const instruction of decisions(5, 200).flat()) {
    if (instruction.kind !== "limit") continue;
    deepEqual(instruction.bookId, 3);
    // Wire units: ticks × 10^6 at 2 price decimals, lots × 10^4 at 4 volume decimals.
    deepEqual(instruction.price % 1_000_000, 0);
    deepEqual(instruction.quantity % 10_000, 0);
    deepEqual(instruction.quantity > 0, true);
    deepEqual(Math.abs(instruction.price / 1_000_000 - 30_000) < 2_000, true);
  }
});

Deno.test("quantities respect the minimum order size", () => {
  const noise = trader({ minQuantityLots: 2_500, maxQuantityLots: 3_000 });
  for (let step = 0; step < 50; step++) {
    for (const instruction of noise.decide(emptyBook)) {
      if (instruction.kind === "limit") deepEqual(instruction.quantity >= 2_500 * 10_000, true);
    }
  }
});

Deno.test("resting orders beyond the cap are cancelled oldest first", () => {
  const noise = trader({ maxRestingOrders: 2, maxDriftTicks: 0 });
  noise.observe([1, 2, 3, 4].map((orderId) => placed(orderId, -1, 29_995)));
  const cancels = noise.decide(emptyBook).filter((instruction) => instruction.kind === "cancel");
  deepEqual(cancels.map((instruction) => instruction.kind === "cancel" && instruction.orderId), [
    1,
    2,
  ]);
});

Deno.test("fills and cancels of its own orders on its book shrink what it tracks", () => {
  const noise = trader({ startPriceTicks: 100 });
  noise.observe([placed(1, -1, 99), placed(2, -2, 99), { ...placed(3, -1, 99), bookId: 4 }]);
  deepEqual(noise.restingOrderCount, 1);
  noise.observe([{
    kind: "trade",
    bookId: 3,
    timeNs: 0,
    side: 1,
    takerOrderId: 3,
    takerAgentId: -2,
    clientOrderId: 0,
    makerOrderId: 1,
    makerAgentId: -1,
    priceTicks: 99,
    quantityLots: 5,
    takerFee: 0,
    makerFee: 0,
  }]);
  deepEqual(noise.restingOrderCount, 0);
});
