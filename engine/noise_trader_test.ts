import { deepEqual, notDeepEqual } from "node:assert/strict";
import type { Command, Depth } from "@/engine/book_records.ts";
import { NoiseTrader } from "@/engine/noise_trader.ts";

const emptyBook: Depth = { bids: [], asks: [] };

function decisions(seed: number, steps: number): Command[][] {
  const trader = new NoiseTrader({ agentId: -1, seed, startPriceTicks: 30_000 });
  return Array.from({ length: steps }, () => trader.decide(emptyBook));
}

Deno.test("the same seed gives the same decisions; another seed does not", () => {
  deepEqual(decisions(42, 50), decisions(42, 50));
  notDeepEqual(decisions(42, 50), decisions(43, 50));
});

Deno.test("orders are valid limit orders near the reference price", () => {
  for (const command of decisions(5, 200).flat()) {
    if (command.kind !== "limit") continue;
    deepEqual(command.priceTicks > 0 && command.quantityLots > 0, true);
    deepEqual(Math.abs(command.priceTicks - 30_000) < 2_000, true);
  }
});

Deno.test("resting orders beyond the cap are cancelled oldest first", () => {
  const trader = new NoiseTrader({
    agentId: -1,
    seed: 1,
    startPriceTicks: 30_000,
    maxRestingOrders: 2,
    maxDriftTicks: 0,
  });
  trader.observe([1, 2, 3, 4].map((orderId) => ({
    kind: "placed" as const,
    orderId,
    agentId: -1,
    side: 0 as const,
    priceTicks: 29_995,
    quantityLots: 1,
  })));
  const cancels = trader.decide(emptyBook).filter((command) => command.kind === "cancel");
  deepEqual(cancels.map((command) => command.kind === "cancel" && command.orderId), [1, 2]);
});

Deno.test("fills and cancels of its own orders shrink what it tracks", () => {
  const trader = new NoiseTrader({ agentId: -1, seed: 1, startPriceTicks: 100 });
  trader.observe([
    { kind: "placed", orderId: 1, agentId: -1, side: 0, priceTicks: 99, quantityLots: 5 },
    { kind: "placed", orderId: 2, agentId: -2, side: 0, priceTicks: 99, quantityLots: 5 },
  ]);
  deepEqual(trader.restingOrderCount, 1);
  trader.observe([{
    kind: "trade",
    takerOrderId: 3,
    takerAgentId: -2,
    makerOrderId: 1,
    makerAgentId: -1,
    side: 1,
    priceTicks: 99,
    quantityLots: 5,
  }]);
  deepEqual(trader.restingOrderCount, 0);
});
