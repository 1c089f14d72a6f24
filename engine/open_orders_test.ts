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

Deno.test("each agent's orders per book stay in placement order among many agents", () => {
  const orders = new OpenOrders();
  const events = Array.from({ length: 40 }, (_, i) => ({
    ...placed(i + 1, (i + 1) % 4, 5),
    bookId: (i + 1) % 3,
  }));
  orders.observe(events);
  // The reference: every order, in placement order, filtered by agent and book.
  const expected = (agent: number, book: number, removed: Set<number>) =>
    events.filter((e) => e.agentId === agent && e.bookId === book && !removed.has(e.orderId))
      .map((e) => e.orderId);
  for (let agent = 0; agent < 4; agent++) {
    for (let book = 0; book < 3; book++) {
      deepEqual(orders.of(agent, book), expected(agent, book, new Set()));
    }
  }
  orders.observe([{
    kind: "cancelled",
    bookId: 1,
    timeNs: 3,
    orderId: 13,
    agentId: 1,
    clientOrderId: 0,
    side: 0,
    priceTicks: 100,
    quantityLots: 5,
    reason: 0,
  }]);
  deepEqual(orders.of(1, 1), expected(1, 1, new Set([13])));
  orders.forget(2);
  deepEqual([orders.of(2, 0), orders.of(2, 1), orders.of(2, 2)], [[], [], []]);
  deepEqual(orders.of(3, 0), expected(3, 0, new Set()));
});

Deno.test("orders rebuilt from entries() keep each agent's placement order", () => {
  const orders = new OpenOrders();
  orders.observe(
    Array.from({ length: 12 }, (_, i) => ({ ...placed(20 - i, i % 3, 5), bookId: i % 2 })),
  );
  const rebuilt = OpenOrders.from(orders.entries());
  deepEqual(rebuilt.entries(), orders.entries());
  for (let agent = 0; agent < 3; agent++) {
    for (const book of [0, 1]) deepEqual(rebuilt.of(agent, book), orders.of(agent, book));
  }
});
