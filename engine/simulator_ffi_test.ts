/**
 * The FFI backend against the real native library: the ABI round trip and
 * the book's matching rules as seen from TypeScript.
 */
import { deepEqual, throws } from "node:assert/strict";
import { RejectCode, Side } from "@/engine/book_records.ts";
import { FfiSimulator } from "@/engine/simulator_ffi.ts";
import { ensureNativeBuild } from "@/server/native_library.ts";

const { libraryPath } = await ensureNativeBuild(() => {});

function withSimulator(test: (simulator: FfiSimulator) => void): () => void {
  return () => {
    const simulator = new FfiSimulator(libraryPath);
    try {
      test(simulator);
    } finally {
      simulator.close();
    }
  };
}

Deno.test(
  "ABI round trip: a crossing order trades at the maker's price with both ids",
  withSimulator((simulator) => {
    const book = simulator.addBook();
    const resting = simulator.apply(book, [
      { kind: "limit", agentId: -1, side: Side.Sell, priceTicks: 30_001, quantityLots: 4 },
    ]);
    deepEqual(resting, [{
      kind: "placed",
      orderId: 1,
      agentId: -1,
      side: Side.Sell,
      priceTicks: 30_001,
      quantityLots: 4,
    }]);
    const events = simulator.apply(book, [
      { kind: "limit", agentId: 7, side: Side.Buy, priceTicks: 30_005, quantityLots: 6 },
    ]);
    deepEqual(events, [
      {
        kind: "placed",
        orderId: 2,
        agentId: 7,
        side: Side.Buy,
        priceTicks: 30_005,
        quantityLots: 2,
      },
      {
        kind: "trade",
        takerOrderId: 2,
        takerAgentId: 7,
        makerOrderId: 1,
        makerAgentId: -1,
        side: Side.Buy,
        priceTicks: 30_001,
        quantityLots: 4,
      },
    ]);
    deepEqual(simulator.depth(book, 5), {
      bids: [{ priceTicks: 30_005, quantityLots: 2 }],
      asks: [],
    });
  }),
);

Deno.test(
  "price-time priority: better price first, then earlier order at the same price",
  withSimulator((simulator) => {
    const book = simulator.addBook();
    simulator.apply(book, [
      { kind: "limit", agentId: 1, side: Side.Buy, priceTicks: 99, quantityLots: 5 },
      { kind: "limit", agentId: 2, side: Side.Buy, priceTicks: 100, quantityLots: 5 },
      { kind: "limit", agentId: 3, side: Side.Buy, priceTicks: 100, quantityLots: 5 },
    ]);
    const trades = simulator.apply(book, [
      { kind: "limit", agentId: 4, side: Side.Sell, priceTicks: 99, quantityLots: 12 },
    ]).filter((event) => event.kind === "trade");
    deepEqual(
      trades.map((trade) => [trade.makerAgentId, trade.priceTicks, trade.quantityLots]),
      [[2, 100, 5], [3, 100, 5], [1, 99, 2]],
    );
  }),
);

Deno.test(
  "cancel: partial, whole, and refusals leave the book as it was",
  withSimulator((simulator) => {
    const book = simulator.addBook();
    simulator.apply(book, [
      { kind: "limit", agentId: 1, side: Side.Sell, priceTicks: 50, quantityLots: 10 },
    ]);
    const events = simulator.apply(book, [
      { kind: "cancel", agentId: 1, orderId: 1, quantityLots: 4 },
      { kind: "cancel", agentId: 2, orderId: 1 },
      { kind: "cancel", agentId: 1, orderId: 99 },
      { kind: "limit", agentId: 1, side: Side.Sell, priceTicks: -5, quantityLots: 1 },
    ]);
    deepEqual(events.map((event) => event.kind === "rejected" ? event.code : event.kind), [
      "cancelled",
      RejectCode.NotOrderOwner,
      RejectCode.UnknownOrder,
      RejectCode.InvalidPrice,
    ]);
    deepEqual(simulator.depth(book, 1).asks, [{ priceTicks: 50, quantityLots: 6 }]);
    simulator.apply(book, [{ kind: "cancel", agentId: 1, orderId: 1 }]);
    deepEqual(simulator.depth(book, 1).asks, []);
  }),
);

Deno.test(
  "a batch larger than one event chunk comes back whole and in order",
  withSimulator((simulator) => {
    const book = simulator.addBook();
    const orders = Array.from({ length: 5000 }, (_, index) => ({
      kind: "limit" as const,
      agentId: 1,
      side: Side.Sell,
      priceTicks: 1000 + (index % 50),
      quantityLots: 1,
    }));
    deepEqual(simulator.apply(book, orders).length, 5000);
    const sweep = simulator.apply(book, [
      { kind: "limit", agentId: 2, side: Side.Buy, priceTicks: 2000, quantityLots: 5000 },
    ]);
    deepEqual(sweep.length, 5001);
    deepEqual(sweep.at(-1)?.kind === "trade" && sweep.at(-1)?.priceTicks, 1049);
  }),
);

Deno.test(
  "books are independent and unknown book ids are refused",
  withSimulator((simulator) => {
    const first = simulator.addBook();
    const second = simulator.addBook();
    simulator.apply(first, [
      { kind: "limit", agentId: 1, side: Side.Buy, priceTicks: 10, quantityLots: 1 },
    ]);
    deepEqual(simulator.depth(second, 1), { bids: [], asks: [] });
    throws(() => simulator.depth(9, 1), {
      name: "RangeError",
      message: "Cannot find book 9: 2 books exist",
    });
  }),
);

Deno.test("a library that is not the native core is refused with its path", () => {
  throws(() => new FfiSimulator("/nonexistent/libmarketforge.so"), /libmarketforge\.so/);
});
