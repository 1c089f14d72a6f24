/**
 * The FFI backend against the real native library: every ABI feature as seen
 * from TypeScript — engine creation with per-book configs, accounts,
 * instructions with delays, stepping, events and notices, depth, account
 * queries, checkpoint / restore.
 */
import { deepEqual, equal, throws } from "node:assert/strict";
import {
  type BookConfig,
  CancelReason,
  type LimitInstruction,
  RejectCode,
  SelfTradePrevention,
  Side,
  TAOS_BOOK_CONFIG,
  TimeInForce,
  toWire,
} from "@/engine/book_records.ts";
import type { Engine } from "@/engine/simulator.ts";
import { ABI_VERSION, FfiSimulator } from "@/engine/simulator_ffi.ts";
import {
  ACCOUNT_BYTES,
  BOOK_CONFIG_BYTES,
  DEPTH_ENTRY_BYTES,
  INSTRUCTION_BYTES,
  RECORD_BYTES,
} from "@/engine/_book_layout.ts";
import { ensureNativeBuild } from "@/server/native_library.ts";

const { libraryPath } = await ensureNativeBuild(() => {});

/** 2 price decimals, 2 volume decimals, static fees 0.05% taker, 0.01% maker rebate. */
const BOOK: BookConfig = {
  ...TAOS_BOOK_CONFIG,
  volumeDecimals: 2,
  minOrderLots: 1,
  fees: { type: "static", makerRate: -100_000, takerRate: 500_000 },
};

function withEngine(test: (engine: Engine, simulator: FfiSimulator) => void, books = 1) {
  return () => {
    const simulator = new FfiSimulator(libraryPath);
    try {
      const engine = simulator.createEngine(Array.from({ length: books }, () => BOOK));
      for (let book = 0; book < books; book++) {
        for (const agent of [1, 2, 3]) engine.deposit(agent, book, 1_000_000, 10 ** 10);
      }
      test(engine, simulator);
    } finally {
      simulator.close();
    }
  };
}

function limit(agentId: number, side: Side, priceTicks: number, lots: number): LimitInstruction {
  return {
    kind: "limit",
    agentId,
    bookId: 0,
    side,
    price: toWire(priceTicks, 2),
    quantity: toWire(lots, 2),
  };
}

Deno.test(
  "a crossing order trades at the maker's price with both ids, fees and notices",
  withEngine((engine) => {
    engine.submit([{ ...limit(1, Side.Sell, 30_001, 400), clientOrderId: 5 }]);
    engine.step(1);
    engine.submit([limit(2, Side.Buy, 30_005, 600)]);
    const { events, notices } = engine.step(2);
    deepEqual(events[0], {
      kind: "placed",
      bookId: 0,
      timeNs: 1,
      orderId: 2,
      agentId: 2,
      clientOrderId: 0,
      side: Side.Buy,
      priceTicks: 30_005,
      quantityLots: 200,
    });
    deepEqual(events[1], {
      kind: "trade",
      bookId: 0,
      timeNs: 1,
      side: Side.Buy,
      takerOrderId: 2,
      takerAgentId: 2,
      clientOrderId: 0,
      makerOrderId: 1,
      makerAgentId: 1,
      priceTicks: 30_001,
      quantityLots: 400,
      takerFee: 6_000, // 30_001 × 400 × 0.0005, truncated
      makerFee: -1_200,
    });
    deepEqual(notices.map((notice) => [notice.kind, notice.recipientAgentId]), [
      ["accepted", 2],
      ["trade", 2],
      ["trade", 1],
    ]);
    deepEqual(notices[2].kind === "trade" && notices[2].clientOrderId, 5);
    deepEqual(engine.ledger(0).feeSink, 4_800);
    engine.checkInvariants();
  }),
);

Deno.test(
  "instructions arrive after their delay; rejections carry code and message",
  withEngine((engine) => {
    engine.submit([
      { ...limit(1, Side.Buy, 100, 1), delayNs: 500 },
      { ...limit(1, Side.Buy, 100, 1), price: toWire(100, 2) + 1 },
      { ...limit(9, Side.Buy, 100, 1) },
    ]);
    const early = engine.step(100);
    deepEqual(early.events, []);
    deepEqual(
      early.notices.map((notice) => notice.kind === "rejected" && [notice.code, notice.message]),
      [
        [
          RejectCode.PriceIncrementViolated,
          "price is not a multiple of the book's price increment",
        ],
        [RejectCode.NonexistentAccount, "agent has no account on this book"],
      ],
    );
    const late = engine.step(1_000);
    deepEqual(late.events.map((event) => [event.kind, event.timeNs]), [["placed", 500]]);
    equal(engine.nowNs, 1_000);
  }),
);

Deno.test(
  "time in force, post-only, self-trade prevention and market orders",
  withEngine((engine) => {
    engine.submit([
      limit(1, Side.Sell, 100, 5),
      { ...limit(1, Side.Buy, 100, 2), stp: SelfTradePrevention.CancelNewest },
      { ...limit(2, Side.Buy, 100, 1), postOnly: true },
      { ...limit(2, Side.Buy, 99, 1), timeInForce: TimeInForce.GTT, expiryNs: 50 },
      { kind: "market", agentId: 3, bookId: 0, side: Side.Buy, quantity: toWire(9, 2) },
    ]);
    const { events, notices } = engine.step(10);
    const rejected = notices.filter((notice) => notice.kind === "rejected");
    deepEqual(rejected.map((notice) => notice.kind === "rejected" && notice.code), [
      RejectCode.PostOnlyWouldCross,
    ]);
    const cancels = events.filter((event) => event.kind === "cancelled");
    deepEqual(cancels.map((event) => event.kind === "cancelled" && event.reason), [
      CancelReason.SelfTrade,
      CancelReason.UnfilledRemainder,
    ]);
    deepEqual(engine.depth(0).asks, []);
    const expired = engine.step(100).events;
    deepEqual(expired.map((event) => event.kind === "cancelled" && event.reason), [
      CancelReason.Expired,
    ]);
  }),
);

Deno.test(
  "leverage borrows at fill time and a close position repays the loan",
  withEngine((engine) => {
    engine.submit([
      { ...limit(1, Side.Buy, 100, 100), leverage: 100 },
      limit(2, Side.Sell, 100, 100),
      limit(3, Side.Buy, 90, 100),
    ]);
    engine.step(1);
    const long = engine.account(1, 0);
    deepEqual(long && [long.quoteLoan, long.baseCollateral, long.openLoans], [5_000, 100, 1]);
    engine.submit([{ kind: "closePosition", agentId: 1, bookId: 0, orderId: 1 }]);
    const { notices } = engine.step(2);
    const closed = notices.find((notice) => notice.kind === "positionClosed");
    deepEqual(
      closed?.kind === "positionClosed" && [closed.reason, closed.loan, closed.repaid],
      [CancelReason.Requested, 5_000, 5_000],
    );
    deepEqual(engine.account(1, 0)?.openLoans, 0);
    engine.checkInvariants();
  }),
);

Deno.test(
  "market orders sized in quote stop at their budget",
  withEngine((engine) => {
    engine.submit([limit(1, Side.Sell, 100, 10)]);
    engine.step(1);
    // 0.035 quote = 350 quote units at 4 decimals: 3 lots at 1.00.
    engine.submit([{
      kind: "market",
      agentId: 2,
      bookId: 0,
      side: Side.Buy,
      quantity: 3_500_000,
      quantityInQuote: true,
    }]);
    const trades = engine.step(2).events.filter((event) => event.kind === "trade");
    deepEqual(trades.map((trade) => trade.quantityLots), [3]);
  }),
);

Deno.test(
  "depth lists 21 levels per side with orders in the top 5",
  withEngine((engine) => {
    engine.submit(Array.from({ length: 30 }, (_, i) => limit(1 + (i % 2), Side.Sell, 200 + i, 1)));
    engine.step(1);
    const depth = engine.depth(0);
    equal(depth.asks.length, 21);
    deepEqual(depth.asks[0], {
      priceTicks: 200,
      quantityLots: 1,
      orders: [{ orderId: 1, agentId: 1, clientOrderId: 0, quantityLots: 1 }],
    });
    equal(depth.asks[4].orders?.length, 1);
    equal(depth.asks[5].orders, undefined);
    deepEqual(engine.depth(0, 2, 0).asks, [
      { priceTicks: 200, quantityLots: 1 },
      { priceTicks: 201, quantityLots: 1 },
    ]);
  }),
);

Deno.test(
  "accounts reserve on entry, settle on fill and are listed per book",
  withEngine((engine) => {
    engine.submit([limit(1, Side.Buy, 100, 10)]);
    engine.step(1);
    const account = engine.account(1, 0);
    deepEqual(
      account && [account.quoteReserved, account.quoteFree, account.openOrders],
      [1_000 + 0, 10 ** 10 - 1_000, 1],
    );
    equal(engine.account(7, 0), undefined);
    deepEqual(engine.accounts().map((entry) => [entry.agentId, entry.bookId]), [
      [1, 0],
      [2, 0],
      [3, 0],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    throws(() => engine.deposit(1, 0, -5, 0), RangeError);
    throws(() => engine.depth(4), {
      name: "RangeError",
      message: "Cannot find book 4: 2 books exist",
    });
  }, 2),
);

Deno.test(
  "a restored checkpoint continues byte-identically; damaged bytes are refused",
  withEngine((engine, simulator) => {
    const orders = (step: number) =>
      Array.from(
        { length: 20 },
        (_, i) =>
          limit(
            1 + ((step + i) % 3),
            (step + i) % 2 === 0 ? Side.Buy : Side.Sell,
            95 + ((step * 7 + i) % 11),
            1 + i,
          ),
      );
    for (let step = 0; step < 5; step++) {
      engine.submit(orders(step));
      engine.step((step + 1) * 10);
    }
    const checkpoint = engine.checkpoint();
    const restored = simulator.restore(checkpoint);
    for (let step = 5; step < 10; step++) {
      engine.submit(orders(step));
      restored.submit(orders(step));
      deepEqual(restored.step((step + 1) * 10), engine.step((step + 1) * 10));
    }
    deepEqual(restored.checkpoint(), engine.checkpoint());
    const damaged = checkpoint.slice();
    damaged[30] ^= 1;
    throws(() => simulator.restore(damaged), {
      message: "Cannot restore engine: checkpoint checksum does not match its contents",
    });
  }),
);

Deno.test("a bad book config is refused with the reason", () => {
  const simulator = new FfiSimulator(libraryPath);
  try {
    throws(() => simulator.createEngine([BOOK, { ...BOOK, priceDecimals: 9 }]), {
      message: "Cannot create engine: book 1: price and volume decimals must be at most 8",
    });
  } finally {
    simulator.close();
  }
});

Deno.test("the library's ABI version and record sizes match the TypeScript layouts", () => {
  const sizes = {
    mf_abi_version: { parameters: [], result: "i32" },
    mf_instruction_size: { parameters: [], result: "u32" },
    mf_record_size: { parameters: [], result: "u32" },
    mf_book_config_size: { parameters: [], result: "u32" },
    mf_account_size: { parameters: [], result: "u32" },
    mf_depth_entry_size: { parameters: [], result: "u32" },
  } as const;
  const library = Deno.dlopen(libraryPath, sizes);
  try {
    const native = library.symbols;
    deepEqual(
      [
        native.mf_abi_version(),
        native.mf_instruction_size(),
        native.mf_record_size(),
        native.mf_book_config_size(),
        native.mf_account_size(),
        native.mf_depth_entry_size(),
      ],
      [
        ABI_VERSION,
        INSTRUCTION_BYTES,
        RECORD_BYTES,
        BOOK_CONFIG_BYTES,
        ACCOUNT_BYTES,
        DEPTH_ENTRY_BYTES,
      ],
    );
  } finally {
    library.close();
  }
});

Deno.test("a library that is not the native core is refused with its path", () => {
  throws(() => new FfiSimulator("/nonexistent/libmarketforge.so"), /libmarketforge\.so/);
});
