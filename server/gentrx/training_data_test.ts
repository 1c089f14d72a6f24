import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { Side } from "@/engine/book_records.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { OrderType } from "@/engine/gentrx/order_flow.ts";
import { parsePageKey } from "@/engine/gentrx/store/data_keys.ts";
import {
  decodeTrainingPage,
  encodeTrainingPage,
  pagesToBatches,
} from "@/engine/gentrx/store/training_page.ts";
import { BookReplay } from "@/server/gentrx/book_replay.ts";
import { heldOutSplit } from "@/server/gentrx/held_out.ts";
import { marketTick } from "@/server/gentrx/market_tick.ts";
import { type GenTrxTick, TrainingData } from "@/server/gentrx/training_data.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";

const SCOPE = { network: "local", source: "simulation" } as const;
const SMALL = { init: { count: 100 }, stylized: { count: 200 }, noise: { count: 200 } };

async function withStore(run: (store: LocalFolderStore) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "mf_gentrx_data_" });
  try {
    await run(new LocalFolderStore(root));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("BookReplay turns L3 events into rows with the book after each", () => {
  const replay = new BookReplay({
    bids: [{ priceTicks: 99, quantityLots: 5 }],
    asks: [{ priceTicks: 101, quantityLots: 7 }],
  });
  const base = { bookId: 0, agentId: 1, clientOrderId: 0, orderId: 9 };
  const rows = replay.apply([
    { ...base, kind: "placed", timeNs: 10, side: Side.Buy, priceTicks: 100, quantityLots: 3 },
    {
      kind: "trade",
      bookId: 0,
      timeNs: 11,
      side: Side.Sell,
      takerOrderId: 2,
      takerAgentId: 2,
      clientOrderId: 0,
      makerOrderId: 9,
      makerAgentId: 1,
      priceTicks: 100,
      quantityLots: 3,
      takerFee: 0,
      makerFee: 0,
    },
    {
      ...base,
      kind: "cancelled",
      timeNs: 12,
      side: Side.Sell,
      priceTicks: 101,
      quantityLots: 2,
      reason: 0,
    },
    { ...base, kind: "placed", timeNs: 13, side: Side.Buy, priceTicks: null, quantityLots: 1 },
  ]);
  deepEqual(rows.map((row) => row.type), [OrderType.Bid, OrderType.ExecSell, OrderType.Cancel]);
  deepEqual(rows[0].bookAfter.bids[0], { priceTicks: 100, quantityLots: 3 });
  deepEqual(rows[1].bookAfter.bids, [{ priceTicks: 99, quantityLots: 5 }]);
  deepEqual(rows[2].bookAfter.asks, [{ priceTicks: 101, quantityLots: 5 }]);
});

Deno.test("a training page round-trips through parquet and cuts into model batches", async () => {
  const rows = Array.from({ length: 70 }, (_, i) => ({
    type: (i % 5) as OrderType,
    timestampNs: 1_000_000_000 + i * 1_000_000,
    priceTicks: 1000 + (i % 7) - 3,
    quantityLots: 10_000 + i * 137,
    bookAfter: {
      bids: [{ priceTicks: 999, quantityLots: 20_000 + i }, { priceTicks: 998, quantityLots: 5 }],
      asks: [{ priceTicks: 1001, quantityLots: 30_000 - i }],
    },
  }));
  const bytes = encodeTrainingPage(rows);
  deepEqual(await decodeTrainingPage(bytes), rows);
  const batches = pagesToBatches([rows], TINY_GENTRX_CONFIG.tokenizer, {
    seqLen: 16,
    batchSize: 2,
  });
  equal(batches.length, 2); // 69 rows after the first: 4 sequences of 17, 2 batches of 2
  equal(batches[0].seqLen, 16);
  await rejects(
    () => decodeTrainingPage(new Uint8Array([1, 2, 3])),
    /Cannot decode a training page/,
  );
  throws(() => encodeTrainingPage([]), /no rows/);
});

Deno.test("the held-out split is deterministic, disjoint, 10% and rotating", () => {
  const books = Array.from({ length: 20 }, (_, i) => i);
  const first = heldOutSplit(books, 7);
  deepEqual(heldOutSplit(books, 7), first);
  equal(first.heldOut.length, 2);
  equal(first.training.length, 18);
  ok(first.heldOut.every((book) => !first.training.includes(book)));
  const seen = new Set(Array.from({ length: 10 }, (_, r) => heldOutSplit(books, r).heldOut).flat());
  equal(seen.size, 20); // ten rounds hold out every book once
  deepEqual(heldOutSplit([3, 4], 0).heldOut.length, 1);
  throws(() => heldOutSplit(books, -1), /Invalid round -1/);
});

Deno.test("TrainingData flushes fixed-size pages of a real market under τaos's keys, dedupes ticks, wipes on end", async () => {
  await withStore(async (store) => {
    const background = await openBackgroundMarket({ books: 2, seed: 5, config: SMALL });
    const engine = background.engine;
    try {
      const data = new TrainingData({ store, scope: SCOPE, validatorUid: 0, rowsPerPage: 500 });
      let last;
      for (let step = 0; step < 40; step++) {
        const output = engine.step(engine.nowNs + 1_000_000_000);
        last = marketTick("sim-1", engine, output);
        equal(await data.ingest(last), "accepted");
      }
      equal(await data.ingest(last!), "duplicate");
      const pages = await data.pages();
      ok(pages.length >= 2, `${pages.length} pages from ${data.rowsBuilt} rows`);
      for (const page of pages) {
        ok(page.key.startsWith("gentrx/local/simulation/data/0/"), page.key);
        deepEqual(parsePageKey(page.key)?.bookId, page.bookId);
        const rows = await decodeTrainingPage((await store.get(page.key))!);
        equal(rows.length, 500);
        equal(rows[0].timestampNs, page.startNs);
        ok(rows.every((row, i) => i === 0 || row.timestampNs >= rows[i - 1].timestampNs));
      }
      const status = await data.dataStatus();
      equal(status.max_ts, engine.nowNs);
      ok(Object.keys(status.books).length >= 1);
      // A new simulation id wipes the old simulation's pages.
      const output = engine.step(engine.nowNs + 1_000_000_000);
      equal(await data.ingest(marketTick("sim-2", engine, output)), "restarted");
      deepEqual(await data.pages(), []);
    } finally {
      engine.close();
    }
  });
});

Deno.test("TrainingData tail-flushes a stalled book and refuses malformed ticks", async () => {
  await withStore(async (store) => {
    const data = new TrainingData({
      store,
      scope: SCOPE,
      validatorUid: 3,
      rowsPerPage: 1000,
      stallFlushNs: 5e9,
    });
    const book = (timeNs: number, lots: number) => ({
      simulationId: "s",
      timeNs,
      books: [{
        bookId: 4,
        bids: [{ priceTicks: 99, quantityLots: 10 }],
        asks: [{ priceTicks: 101, quantityLots: 10 }],
        events: [{
          kind: "placed" as const,
          bookId: 4,
          timeNs: timeNs - 1,
          orderId: timeNs,
          agentId: 1,
          clientOrderId: 0,
          side: Side.Buy,
          priceTicks: 98,
          quantityLots: lots,
        }],
      }],
    });
    for (let s = 1; s <= 4; s++) await data.ingest(book(s * 1e9, s));
    deepEqual(await data.pages(), []);
    for (let s = 5; s <= 8; s++) await data.ingest(book(s * 1e9, s));
    const pages = await data.pages();
    equal(pages.length, 1);
    equal(pages[0].bookId, 4);
    equal((await decodeTrainingPage((await store.get(pages[0].key))!)).length, 6);
    await rejects(() => data.ingest({ ...book(9e9, 1), timeNs: -1 }), /timeNs is -1/);
    await rejects(
      () => data.ingest({ simulationId: "s", timeNs: 1, books: [{}] } as unknown as GenTrxTick),
      /bookId/,
    );
    equal(await data.endSimulation(), 1);
    throws(
      () => new TrainingData({ store, scope: SCOPE, validatorUid: 0, rowsPerPage: 1 }),
      /rowsPerPage 1/,
    );
  });
});
