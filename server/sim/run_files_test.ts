import { deepEqual, equal, match, rejects, throws } from "node:assert/strict";
import {
  parseRunManifest,
  readMids,
  readRun,
  readRunManifest,
  readTradeFlow,
  RunFormatError,
} from "@/server/sim/run_files.ts";
import {
  encodeRecords,
  gzip,
  midsBytes,
  PLACED_KIND,
  testManifest,
  writeTestRun,
} from "@/server/sim/_test_run_dir.ts";

const SECOND = 1_000_000_000;

async function withRun(
  run: Promise<string>,
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await run;
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("run.json errors name the field at fault", () => {
  const invalid = (json: unknown, message: RegExp) =>
    throws(
      () => parseRunManifest(json),
      (error) => error instanceof RunFormatError && message.test(error.message),
    );
  const { books: _, ...withoutBooks } = testManifest();
  invalid(withoutBooks, /"books" must be an integer ≥ 1, got nothing/);
  invalid(testManifest({ version: 2 as 1 }), /"version" must be 1, got 2/);
  invalid(testManifest({ seconds: 1.5 }), /"seconds" must be an integer ≥ 0, got 1.5/);
  invalid(
    testManifest({ priceDecimals: 9 }),
    /"priceDecimals" must be an integer in \[0, 8\], got 9/,
  );
  invalid({ ...testManifest(), stepNs: "1e9" }, /"stepNs" must be an integer ≥ 1, got "1e9"/);
  invalid(
    testManifest({ params: { "agents.count": "x" as unknown as number } }),
    /"params.agents.count" must be a number, got "x"/,
  );
  invalid([], /expected an object, got \[\]/);
  deepEqual(parseRunManifest(testManifest()), testManifest());
  equal(parseRunManifest(testManifest({ startNs: 5 * SECOND })).startNs, 5 * SECOND);
});

Deno.test("a missing run.json or invalid JSON is a RunFormatError naming the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await rejects(readRunManifest(dir), /Cannot read run ".*": run.json not found/);
    await Deno.writeTextFile(`${dir}/run.json`, "{ not json");
    await rejects(
      readRunManifest(dir),
      (error) => error instanceof RunFormatError && /Invalid run.json in/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mids are split per book, NaN kept; extra whole rows are ignored", async () => {
  const book0 = [100, 100.5, NaN, 101];
  const book1 = [50, 50.25, 50.5, 50.75];
  const manifest = testManifest({ books: 2, seconds: 3 });
  await withRun(writeTestRun([book0, book1], new Uint8Array(), manifest), async (dir) => {
    const mids = await readMids(dir, await readRunManifest(dir));
    deepEqual(mids.map((series) => Array.from(series)), [[100, 100.5, NaN], [50, 50.25, 50.5]]);
  });
});

Deno.test("mids.f64 of the wrong size is refused with both sizes", async () => {
  await withRun(writeTestRun([[1, 2, 3], [4, 5, 6]], new Uint8Array()), async (dir) => {
    const manifest = await readRunManifest(dir);
    await Deno.writeFile(`${dir}/mids.f64`, midsBytes([[1, 2], [4, 5]]));
    await rejects(
      readMids(dir, manifest),
      /mids.f64 .*32 bytes, expected 3 rows of 2 float64 \(48 bytes\)/,
    );
    await Deno.writeFile(`${dir}/mids.f64`, new Uint8Array(50));
    await rejects(readMids(dir, manifest), RunFormatError);
  });
});

Deno.test("trades give one sign per taker order and volume per second, per book", async () => {
  const records = encodeRecords([
    { kind: PLACED_KIND, bookId: 0, timeNs: 10, side: 1, takerOrderId: 1 },
    // Book 0, second 1 (row 0): a buy sweeping two levels is one order.
    { bookId: 0, timeNs: 0.2 * SECOND, side: 0, takerOrderId: 2, quantityLots: 3 },
    { bookId: 0, timeNs: 0.2 * SECOND, side: 0, takerOrderId: 2, quantityLots: 4 },
    // Interleaved with book 1.
    { bookId: 1, timeNs: 0.5 * SECOND, side: 1, takerOrderId: 3, quantityLots: 5 },
    { bookId: 0, timeNs: 1.5 * SECOND, side: 1, takerOrderId: 4, quantityLots: 6 },
    { bookId: 0, timeNs: 1.7 * SECOND, side: 0, takerOrderId: 5, quantityLots: 1 },
    // After the last completed second: a sign, but no volume row.
    { bookId: 1, timeNs: 9 * SECOND, side: 0, takerOrderId: 6, quantityLots: 2 },
  ]);
  const mids = [[100, 101, 102], [50, 51, 52]];
  await withRun(writeTestRun(mids, records), async (dir) => {
    const run = await readRun(dir);
    equal(run.flow.trades, 6);
    equal(run.flow.takerOrders, 5);
    deepEqual(run.flow.orderSigns.map((signs) => Array.from(signs)), [[1, -1, 1], [-1, 1]]);
    deepEqual(run.flow.volumeLots.map((volumes) => Array.from(volumes)), [[7, 7, 0], [5, 0, 0]]);
  });
});

Deno.test("a resumed run's startNs aligns trade times with its rows", async () => {
  const records = encodeRecords([{
    bookId: 0,
    timeNs: 3_600.5 * SECOND,
    side: 0,
    takerOrderId: 9,
    quantityLots: 2,
  }]);
  const manifest = testManifest({ books: 1, seconds: 2, startNs: 3_600 * SECOND });
  await withRun(writeTestRun([[1, 2]], records, manifest), async (dir) => {
    const flow = await readTradeFlow(dir, await readRunManifest(dir));
    deepEqual(Array.from(flow.volumeLots[0]), [2, 0]);
  });
});

Deno.test("the L3 log streams across batches of records", async () => {
  const count = 10_007;
  const records = encodeRecords(Array.from({ length: count }, (_, i) => ({
    bookId: i % 2,
    timeNs: Math.floor(i / 4) * 1_000_000,
    side: (i % 3 === 0 ? 0 : 1) as 0 | 1,
    takerOrderId: i,
  })));
  await withRun(writeTestRun([[1, 1, 1, 1], [1, 1, 1, 1]], records), async (dir) => {
    const flow = await readTradeFlow(dir, await readRunManifest(dir));
    equal(flow.trades, count);
    equal(flow.orderSigns[0].length + flow.orderSigns[1].length, count);
    equal(flow.orderSigns[0].filter((sign) => sign === 1).length, Math.ceil(count / 6));
    // One lot per trade, all in seconds 1–3 (rows 0–2).
    equal(flow.volumeLots[0].reduce((sum, lots) => sum + lots, 0), Math.ceil(count / 2));
    equal(flow.volumeLots[0][3], 0);
  });
});

Deno.test("a bad L3 log is refused: unknown book, partial record, corrupt gzip", async () => {
  await withRun(writeTestRun([[1], [1]], new Uint8Array()), async (dir) => {
    const manifest = await readRunManifest(dir);
    const write = async (bytes: Uint8Array) => await Deno.writeFile(`${dir}/l3.bin.gz`, bytes);

    await write(await gzip(encodeRecords([{ bookId: 5, timeNs: 0, side: 0, takerOrderId: 1 }])));
    await rejects(readTradeFlow(dir, manifest), /record 0 is on book 5, but the run has 2 books/);

    const trade = { bookId: 0, timeNs: 0, side: 0, takerOrderId: 1 } as const;
    await write(await gzip(encodeRecords([trade, trade]).subarray(0, 100)));
    await rejects(readTradeFlow(dir, manifest), /ends with 20 bytes of a partial record/);

    await write(new TextEncoder().encode("not gzip at all"));
    await rejects(readTradeFlow(dir, manifest), (error) => {
      match((error as Error).message, /Cannot decompress l3.bin.gz in/);
      return error instanceof RunFormatError;
    });

    await Deno.remove(`${dir}/l3.bin.gz`);
    await rejects(readTradeFlow(dir, manifest), /l3.bin.gz not found/);
  });
});
