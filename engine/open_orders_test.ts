import { deepEqual } from "node:assert/strict";
import { OpenOrders } from "@/engine/open_orders.ts";

const placed = (
  orderId: number,
  agentId: number,
  quantityLots: number,
  priceTicks: number | null = 100,
) => ({
  kind: "placed" as const,
  bookId: 0,
  timeNs: 0,
  orderId,
  agentId,
  clientOrderId: 0,
  side: 0 as const,
  priceTicks,
  quantityLots,
});

Deno.test("orders rest until filled or cancelled; market orders never rest", () => {
  const orders = new OpenOrders();
  orders.observe([placed(1, 5, 10), placed(2, 5, 10), placed(3, 6, 0), placed(4, 5, 3, null)]);
  deepEqual(orders.of(5, 0), [1, 2]);
  orders.observe([
    {
      kind: "trade",
      bookId: 0,
      timeNs: 1,
      side: 1,
      takerOrderId: 9,
      takerAgentId: 6,
      clientOrderId: 0,
      makerOrderId: 1,
      makerAgentId: 5,
      priceTicks: 100,
      quantityLots: 10,
      takerFee: 0,
      makerFee: 0,
    },
    {
      kind: "cancelled",
      bookId: 0,
      timeNs: 2,
      orderId: 2,
      agentId: 5,
      clientOrderId: 0,
      side: 0,
      priceTicks: 100,
      quantityLots: 4,
      reason: 0,
    },
  ]);
  deepEqual(orders.of(5, 0), [2]);
  orders.forget(5);
  deepEqual(orders.of(5, 0), []);
});
