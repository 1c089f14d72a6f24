/** Engine records from a real native engine, mapped to τaos's state shapes. */
import { deepEqual, equal } from "node:assert/strict";
import { Side, TAOS_BOOK_CONFIG, toWire } from "@/engine/book_records.ts";
import { OpenOrders } from "@/engine/open_orders.ts";
import { stateAccount, stateBook, stateNotice } from "@/engine/protocol/state_mapping.ts";
import { FfiSimulator } from "@/engine/simulator_ffi.ts";
import { ensureNativeBuild } from "@/server/native_library.ts";

const { libraryPath } = await ensureNativeBuild(() => {});
const grid = { priceDecimals: 2, volumeDecimals: 4 };

Deno.test("a step on a real engine maps to τaos books, accounts and notices", () => {
  const simulator = new FfiSimulator(libraryPath);
  try {
    const engine = simulator.createEngine([TAOS_BOOK_CONFIG]);
    engine.deposit(1, 0, 10 * 10_000, 100_000 * 1_000_000);
    engine.deposit(2, 0, 10 * 10_000, 100_000 * 1_000_000);
    engine.submit([
      {
        kind: "limit",
        agentId: 1,
        bookId: 0,
        side: Side.Sell,
        price: toWire(30_000, 2),
        quantity: toWire(10_000, 4),
        clientOrderId: 7,
      },
      {
        kind: "limit",
        agentId: 2,
        bookId: 0,
        side: Side.Buy,
        price: toWire(30_001, 2),
        quantity: toWire(4_000, 4),
        delayNs: 10,
      },
      { kind: "cancel", agentId: 2, bookId: 0, orderId: 99, delayNs: 20 },
    ]);
    const { events, notices } = engine.step(1_000_000_000);
    const orders = new OpenOrders();
    orders.observe(events);

    const book = stateBook(engine.depth(0), events, engine.ledger(0).makerTakerRatio, grid);
    deepEqual(book.a, [{ p: 300, q: 0.6, o: [{ i: 1, q: 0.6, c: 7 }] }]);
    deepEqual(book.b, []);
    equal(book.e[0].y === "o" && book.e[0].i === 1 && book.e[0].q === 1, true);
    const trade = book.e.find((event) => event.y === "t")!;
    equal(
      trade.y === "t" && trade.p === 300 && trade.q === 0.4 && trade.Ma === 1 && trade.Ta === 2,
      true,
    );

    const account = stateAccount(
      engine.account(1, 0)!,
      { baseLots: 100_000, quoteUnits: 1e11 },
      orders.of(1, 0),
      grid,
    );
    deepEqual(account.o, [1]);
    equal(account.bb.r, 0.6);
    equal(account.bb.t, 9.6);
    equal(account.bb.i, 10);

    const mine = notices.filter((notice) => notice.recipientAgentId === 2).map((n) =>
      stateNotice(n, grid)
    );
    deepEqual(mine.map((notice) => notice.y), ["RDPOL", "ET", "ERDCO"]);
    const rejected = mine[2];
    equal(rejected.y === "ERDCO" && rejected.c[0].m, "order is not resting on this book");
  } finally {
    simulator.close();
  }
});
