import { deepEqual, throws } from "node:assert/strict";
import { Side, TAOS_BOOK_CONFIG, TimeInForce } from "@/engine/book_records.ts";
import {
  ACCOUNT_BYTES,
  BOOK_CONFIG_BYTES,
  decodeAccounts,
  decodeDepth,
  decodeEvents,
  decodeNotices,
  encodeBookConfigs,
  encodeInstructions,
  INSTRUCTION_BYTES,
  RECORD_BYTES,
} from "@/engine/_book_layout.ts";

Deno.test("encodeInstructions writes the native Instruction layout, 64-bit fields little-endian", () => {
  const bytes = new Uint8Array(2 * INSTRUCTION_BYTES);
  encodeInstructions([
    {
      kind: "limit",
      agentId: -3,
      bookId: 2,
      side: Side.Sell,
      price: 2 ** 40 + 5,
      quantity: 7,
      timeInForce: TimeInForce.GTT,
      expiryNs: 9,
      postOnly: true,
      stp: 4,
      leverage: 250,
      delayNs: 11,
      clientOrderId: 77,
    },
    { kind: "cancel", agentId: 4, bookId: 1, orderId: 2 ** 33 + 1, quantity: 2 },
  ], bytes);
  const view = new DataView(bytes.buffer);
  deepEqual(
    [0, 1, 2, 3, 4].map((offset) => view.getUint8(offset)),
    [1, Side.Sell, TimeInForce.GTT, 4, 1],
  );
  deepEqual(view.getUint16(6, true), 250);
  deepEqual([view.getUint32(8, true), view.getInt32(12, true)], [2, -3]);
  deepEqual(view.getUint32(16, true), 77);
  deepEqual(view.getBigInt64(24, true), 11n);
  deepEqual(view.getBigInt64(32, true), 2n ** 40n + 5n);
  deepEqual(view.getBigInt64(40, true), 7n);
  deepEqual(view.getBigInt64(56, true), 9n);
  deepEqual(view.getUint8(64), 3);
  deepEqual(view.getBigUint64(64 + 48, true), 2n ** 33n + 1n);
  deepEqual(view.getBigInt64(64 + 40, true), 2n);
});

Deno.test("encodeBookConfigs writes the BookConfig layout, tiers inline", () => {
  const bytes = encodeBookConfigs([TAOS_BOOK_CONFIG, {
    ...TAOS_BOOK_CONFIG,
    fees: {
      type: "tiered",
      makerRate: 0,
      takerRate: 1_000,
      tiers: [{ volumeRequired: 500, makerRate: -5, takerRate: 900 }],
    },
  }]);
  deepEqual(bytes.byteLength, 2 * BOOK_CONFIG_BYTES);
  const view = new DataView(bytes.buffer);
  deepEqual([view.getUint8(0), view.getUint8(1), view.getUint8(2)], [2, 4, 2]);
  deepEqual(view.getBigInt64(8, true), 2_500n);
  deepEqual(view.getBigInt64(48, true), 400_000_000n);
  deepEqual(view.getUint32(56, true), 300);
  deepEqual(view.getUint32(60, true), 400);
  const tiered = BOOK_CONFIG_BYTES;
  deepEqual([view.getUint8(tiered + 2), view.getUint8(tiered + 3)], [1, 1]);
  deepEqual(view.getBigInt64(tiered + 80, true), 500n);
  deepEqual(view.getBigInt64(tiered + 88, true), -5n);
  throws(() =>
    encodeBookConfigs([{
      ...TAOS_BOOK_CONFIG,
      fees: {
        type: "tiered",
        makerRate: 0,
        takerRate: 0,
        tiers: Array(5).fill(0).map(() => ({ volumeRequired: 1, makerRate: 0, takerRate: 0 })),
      },
    }]), { message: "Cannot encode book 0: 5 fee tiers, at most 4" });
});

function record(fill: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(RECORD_BYTES);
  fill(new DataView(bytes.buffer));
  return bytes;
}

Deno.test("decodeEvents reads a trade with fees, negative fees included", () => {
  const bytes = record((view) => {
    view.setUint8(0, 2);
    view.setUint8(1, Side.Buy);
    view.setUint32(4, 3, true);
    view.setBigInt64(8, 5_000n, true);
    view.setBigUint64(16, 9n, true);
    view.setInt32(24, 2, true);
    view.setUint32(28, 44, true);
    view.setBigInt64(32, 101n, true);
    view.setBigInt64(40, 5n, true);
    view.setBigUint64(48, 4n, true);
    view.setInt32(56, -1, true);
    view.setBigInt64(64, 12n, true);
    view.setBigInt64(72, -3n, true);
  });
  deepEqual(decodeEvents(bytes, 1), [{
    kind: "trade",
    bookId: 3,
    timeNs: 5_000,
    side: Side.Buy,
    takerOrderId: 9,
    takerAgentId: 2,
    clientOrderId: 44,
    makerOrderId: 4,
    makerAgentId: -1,
    priceTicks: 101,
    quantityLots: 5,
    takerFee: 12,
    makerFee: -3,
  }]);
});

Deno.test("decodeNotices reads rejections with their message and the recipient", () => {
  const bytes = record((view) => {
    view.setUint8(0, 5);
    view.setUint16(2, 5, true);
    view.setInt32(24, 0, true);
    view.setBigInt64(32, 30_000_001n, true);
    view.setInt32(60, 0, true);
  });
  const [notice] = decodeNotices(bytes, 1);
  deepEqual(notice.kind === "rejected" && [notice.code, notice.message, notice.price], [
    5,
    "price is not a multiple of the book's price increment",
    30_000_001,
  ]);
  deepEqual(notice.recipientAgentId, 0);
});

Deno.test("decodeEvents refuses an unknown kind with its index", () => {
  const bytes = new Uint8Array(RECORD_BYTES);
  bytes[0] = 77;
  throws(() => decodeEvents(bytes, 1), {
    name: "RangeError",
    message: "Cannot decode record 0: unknown kind 77",
  });
});

Deno.test("decodeDepth attaches orders to the detailed levels", () => {
  const view = new DataView(new ArrayBuffer(24 * 5));
  view.setUint32(0, 1, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, 2, true);
  view.setUint32(12, 1, true);
  view.setBigInt64(24, 99n, true);
  view.setBigInt64(32, 10n, true);
  view.setUint32(44, 1, true);
  view.setBigInt64(48, 101n, true);
  view.setBigInt64(72, 102n, true);
  view.setBigUint64(96, 7n, true);
  view.setBigInt64(104, 10n, true);
  view.setInt32(112, -4, true);
  view.setUint32(116, 3, true);
  deepEqual(decodeDepth(new Uint8Array(view.buffer)), {
    bookId: 1,
    timeNs: 0,
    bids: [{
      priceTicks: 99,
      quantityLots: 10,
      orders: [{ orderId: 7, quantityLots: 10, agentId: -4, clientOrderId: 3 }],
    }],
    asks: [{ priceTicks: 101, quantityLots: 0 }, { priceTicks: 102, quantityLots: 0 }],
  });
});

Deno.test("decodeAccounts reads every field", () => {
  const view = new DataView(new ArrayBuffer(ACCOUNT_BYTES));
  view.setInt32(0, -2, true);
  view.setUint32(4, 1, true);
  for (let field = 0; field < 15; field++) view.setBigInt64(8 + 8 * field, BigInt(field + 1), true);
  view.setUint32(128, 3, true);
  view.setUint32(132, 1, true);
  const [account] = decodeAccounts(new Uint8Array(view.buffer), 1);
  deepEqual([account.agentId, account.bookId, account.baseTotal, account.takerRate], [
    -2,
    1,
    1,
    15,
  ]);
  deepEqual([account.feesPaid, account.openOrders, account.openLoans], [11, 3, 1]);
});
