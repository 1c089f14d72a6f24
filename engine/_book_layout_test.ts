import { deepEqual, throws } from "node:assert/strict";
import { Side } from "@/engine/book_records.ts";
import {
  COMMAND_BYTES,
  decodeDepth,
  decodeEvents,
  encodeCommands,
  EVENT_BYTES,
} from "@/engine/_book_layout.ts";

Deno.test("encodeCommands writes the native command layout, 64-bit fields little-endian", () => {
  const bytes = new Uint8Array(2 * COMMAND_BYTES);
  encodeCommands([
    { kind: "limit", agentId: -3, side: Side.Sell, priceTicks: 2 ** 40 + 5, quantityLots: 7 },
    { kind: "cancel", agentId: 4, orderId: 2 ** 33 + 1, quantityLots: 2 },
  ], bytes);
  const view = new DataView(bytes.buffer);
  deepEqual([view.getUint8(0), view.getUint8(1), view.getInt32(4, true)], [1, 1, -3]);
  deepEqual(view.getBigInt64(16, true), 2n ** 40n + 5n);
  deepEqual(view.getBigInt64(24, true), 7n);
  deepEqual(view.getUint8(32), 2);
  deepEqual(view.getBigUint64(40, true), 2n ** 33n + 1n);
  deepEqual(view.getBigInt64(56, true), 2n);
});

Deno.test("decodeEvents reads every event kind", () => {
  const bytes = new Uint8Array(3 * EVENT_BYTES);
  const view = new DataView(bytes.buffer);
  // A trade: taker order 9 (agent 2) bought 5 lots at 101 from maker order 4 (agent -1).
  view.setUint8(0, 2);
  view.setUint8(1, Side.Buy);
  view.setInt32(4, 2, true);
  view.setBigUint64(8, 9n, true);
  view.setBigUint64(16, 4n, true);
  view.setBigInt64(24, 101n, true);
  view.setBigInt64(32, 5n, true);
  view.setInt32(40, -1, true);
  // A rejection with code 5 (unknown order).
  view.setUint8(48, 4);
  view.setUint16(50, 5, true);
  // A cancel of 3 lots of order 4.
  view.setUint8(96, 3);
  view.setBigUint64(104, 4n, true);
  view.setBigInt64(128, 3n, true);
  const [trade, rejected, cancelled] = decodeEvents(bytes, 3);
  deepEqual(trade, {
    kind: "trade",
    takerOrderId: 9,
    takerAgentId: 2,
    makerOrderId: 4,
    makerAgentId: -1,
    side: Side.Buy,
    priceTicks: 101,
    quantityLots: 5,
  });
  deepEqual(rejected.kind === "rejected" && rejected.code, 5);
  deepEqual(cancelled.kind === "cancelled" && cancelled.quantityLots, 3);
});

Deno.test("decodeEvents refuses an unknown kind with its index", () => {
  const bytes = new Uint8Array(EVENT_BYTES);
  bytes[0] = 77;
  throws(() => decodeEvents(bytes, 1), {
    name: "RangeError",
    message: "Cannot decode event 0: unknown kind 77",
  });
});

Deno.test("decodeDepth splits bids and asks at maxLevels", () => {
  const view = new DataView(new ArrayBuffer(4 * 16));
  view.setBigInt64(0, 99n, true);
  view.setBigInt64(8, 10n, true);
  view.setBigInt64(32, 101n, true);
  view.setBigInt64(40, 20n, true);
  deepEqual(decodeDepth(new Uint8Array(view.buffer), 2, 1, 1), {
    bids: [{ priceTicks: 99, quantityLots: 10 }],
    asks: [{ priceTicks: 101, quantityLots: 20 }],
  });
});
