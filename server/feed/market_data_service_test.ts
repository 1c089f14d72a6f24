import { deepEqual, equal, throws } from "node:assert/strict";
import { MarketDataService } from "@/server/feed/mod.ts";
import { ScriptedMarket } from "@/tests/fixtures/scripted_market.ts";

Deno.test("MarketDataService ingests a market step once, after every book has moved", async () => {
  const market = new ScriptedMarket({ books: 3 });
  let statsReads = 0;
  const stats = market.stats.bind(market);
  market.stats = () => {
    statsReads++;
    return stats();
  };
  const data = new MarketDataService(market);
  const updates: number[][] = [];
  data.onUpdate((bookIds) => updates.push([...bookIds]));
  statsReads = 0;
  market.step();
  equal(updates.length, 0, "nothing until the step's notifications are all in");
  await Promise.resolve();
  deepEqual(updates, [[0, 1, 2]]);
  equal(statsReads, 1, "the lifetime totals are read once per step");
  const book = data.book(2);
  equal(book.step, 1);
  equal(book.summary().lastPriceTicks, ScriptedMarket.priceAt(2, 1));
  equal(book.candles("1s").at(-1)?.volume, 2_000, "volume from the change in lifetime totals");
  equal(book.tape.lastId, 2);
  data.close();
});

Deno.test("MarketDataService lists every book's summary and stops when closed", async () => {
  const market = new ScriptedMarket({ books: 2 });
  const data = new MarketDataService(market);
  market.step();
  await Promise.resolve();
  deepEqual(data.overview().map((summary) => [summary.bookId, summary.step]), [[0, 1], [1, 1]]);
  throws(() => data.book(5), /Unknown book 5: books are 0 to 1/);
  data.close();
  market.step();
  await Promise.resolve();
  equal(data.book(0).step, 1, "a closed service no longer follows the market");
});
