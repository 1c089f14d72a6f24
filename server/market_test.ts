import { deepEqual, equal, notDeepEqual, throws } from "node:assert/strict";
import { Market, type MarketOptions } from "@/server/market.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";

/** A quick background market: τaos's populations, scaled down. */
const SMALL = { init: { count: 100 }, stylized: { count: 200 }, noise: { count: 200 } };

async function open(seed: number, books: number, options?: MarketOptions) {
  const background = await openBackgroundMarket({ books, seed, config: SMALL });
  return new Market(background.engine, background.configs, options);
}

async function run(seed: number, steps: number, books = 2) {
  const market = await open(seed, books);
  try {
    const views = [];
    for (let step = 0; step < steps; step++) {
      market.step();
      for (let book = 0; book < books; book++) views.push(market.view(book));
    }
    return { views, stats: market.stats().map(({ updatedAt: _, ...rest }) => rest) };
  } finally {
    market.engine.close();
  }
}

Deno.test("the same seed replays the same market; another seed does not", async () => {
  const first = await run(11, 120);
  deepEqual(await run(11, 120), first);
  notDeepEqual((await run(12, 120)).views, first.views);
});

Deno.test("books trade, stay uncrossed and keep their ladders sorted", async () => {
  const { views, stats } = await run(3, 300);
  for (const view of views) {
    const bestBid = view.bids[0]?.priceTicks ?? -Infinity;
    const bestAsk = view.asks[0]?.priceTicks ?? Infinity;
    equal(bestBid < bestAsk, true, `book ${view.bookId} crossed at step ${view.step}`);
    equal(view.bids.length > 0 && view.asks.length > 0, true, "both sides quoted");
    for (let i = 1; i < view.bids.length; i++) {
      equal(view.bids[i].priceTicks < view.bids[i - 1].priceTicks, true);
    }
    for (let i = 1; i < view.asks.length; i++) {
      equal(view.asks[i].priceTicks > view.asks[i - 1].priceTicks, true);
    }
  }
  for (const book of stats) equal(book.trades > 50 && book.volumeLots > 0, true);
});

Deno.test("subscribers get each step's view until they unsubscribe", async () => {
  const market = await open(1, 1);
  try {
    const steps: number[] = [];
    const unsubscribe = market.subscribe(0, (view) => steps.push(view.step));
    market.step();
    market.step();
    unsubscribe();
    market.step();
    deepEqual(steps, [1, 2]);
    throws(() => market.subscribe(1, () => {}), /Unknown book 1: books are 0 to 0/);
  } finally {
    market.engine.close();
  }
});

Deno.test("lifetime statistics continue from what was stored", async () => {
  const stored = { bookId: 0, trades: 1000, volumeLots: 5, lastPriceTicks: 1, updatedAt: 0 };
  const market = await open(1, 1, { stats: [stored] });
  try {
    market.step();
    equal(market.stats()[0].trades >= 1000, true);
  } finally {
    market.engine.close();
  }
});

Deno.test("a market needs one config per book", async () => {
  const background = await openBackgroundMarket({ books: 2, seed: 1, config: SMALL });
  try {
    throws(
      () => new Market(background.engine, background.configs.slice(1)),
      /Cannot open the market: 1 book configs for 2 books/,
    );
  } finally {
    background.engine.close();
  }
});
