import { deepEqual, equal, throws } from "node:assert/strict";
import { CsvKlineStream, formatKlineCsv, parseKlineCsv } from "@/server/forecast/kline_csv.ts";
import { repoPath } from "@/server/paths.ts";

const FIXTURE = repoPath("tests/fixtures/klines_synthetic_5m.csv");

Deno.test("kline CSV: Binance dump rows, header optional, microseconds read as such", () => {
  const text = "1704067200000,1,2,0.5,1.5,10,1704067499999\n1704067500000,1.5,2,1,1.8,5,x\n";
  const candles = parseKlineCsv(text);
  deepEqual(candles[0], {
    closeTime: 1704067500000,
    open: 1,
    high: 2,
    low: 0.5,
    close: 1.5,
    volume: 10,
  });
  equal(candles[1].closeTime, 1704067800000);
  const micro = parseKlineCsv("1704067200000000,1,2,0.5,1.5,10\n1704067500000000,1,2,0.5,1.5,10\n");
  equal(micro[0].closeTime, 1704067500000);
  deepEqual(parseKlineCsv(formatKlineCsv(candles, 300_000)), candles);
  throws(() => parseKlineCsv("1,2,3\n"), /line 1: 3 fields, at least 6 needed/);
  throws(() => parseKlineCsv("1,2,3,4,nan,6\n2,2,3,4,5,6"), /line 1: close "nan"/);
  throws(() => parseKlineCsv("1,2,3,4,5,6\n"), /1 rows, at least 2 needed/);
});

Deno.test("a CSV stream releases candles as its clock passes them", async () => {
  let now = 0;
  const stream = await CsvKlineStream.open(FIXTURE, { now: () => now });
  equal(stream.all.length, 3000);
  equal(stream.intervalMs, 300_000);
  equal(await stream.latestCloseTime(), null);
  now = stream.all[9].closeTime + 1;
  equal(await stream.latestCloseTime(), stream.all[9].closeTime);
  equal((await stream.candles(0, Infinity)).length, 10);
  deepEqual(await stream.candles(stream.all[7].closeTime, Infinity), stream.all.slice(8, 10));
});
