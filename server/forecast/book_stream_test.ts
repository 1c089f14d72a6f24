import { deepEqual, equal, throws } from "node:assert/strict";
import { BookCandleStream } from "@/server/forecast/book_stream.ts";
import { ScriptedMarket } from "@/tests/fixtures/scripted_market.ts";

Deno.test("a simulated book becomes 5-minute candles on the market's step clock", async () => {
  const market = new ScriptedMarket({ books: 2 });
  const stream = new BookCandleStream(market, 1);
  equal(stream.id, "book-1-5m");
  for (let step = 0; step < 650; step++) market.step();
  // Steps 1…650 → candles closing at 300 s (steps 1–300) and 600 s; the third is open.
  equal(await stream.latestCloseTime(), 600_000);
  const candles = await stream.candles(0, Infinity);
  equal(candles.length, 2);
  const price = (step: number) => ScriptedMarket.priceAt(1, step) / 100;
  const lotsPerUnit = 10 ** market.view(1).volumeDecimals;
  const { volume, ...prices } = candles[0];
  deepEqual(prices, {
    closeTime: 300_000,
    open: price(1),
    high: price(300),
    low: price(1),
    close: price(300),
  });
  equal(Math.abs(volume - (2 * 300 * 1_000) / lotsPerUnit) < 1e-9, true);
  equal(candles[1].open, price(301));
  equal(candles[1].close, price(600));
  deepEqual(await stream.candles(300_000, 600_000), [candles[1]]);
  stream.close();
  throws(() => new BookCandleStream(market, 0, 1500), /multiple of 1000/);
  equal(new BookCandleStream(market, 0, 10_000).id, "book-0-10s");
});
