import { deepEqual, equal, notDeepEqual, throws } from "node:assert/strict";
import { FfiSimulator } from "@/engine/simulator_ffi.ts";
import { Market, mixSeed } from "@/server/market.ts";
import { ensureNativeBuild } from "@/server/native_library.ts";

const { libraryPath } = await ensureNativeBuild(() => {});

function run(seed: number, steps: number, books = 2) {
  const simulator = new FfiSimulator(libraryPath);
  try {
    const market = new Market(simulator, { books, seed });
    const views = [];
    for (let step = 0; step < steps; step++) {
      market.step();
      for (let book = 0; book < books; book++) views.push(market.view(book));
    }
    return { views, stats: market.stats().map(({ updatedAt: _, ...rest }) => rest) };
  } finally {
    simulator.close();
  }
}

Deno.test("the same seed replays the same market; another seed does not", () => {
  const first = run(11, 200);
  deepEqual(run(11, 200), first);
  notDeepEqual(run(12, 200).views, first.views);
});

Deno.test("books trade, stay uncrossed and keep their ladders sorted", () => {
  const { views, stats } = run(3, 300);
  for (const view of views) {
    const bestBid = view.bids[0]?.priceTicks ?? -Infinity;
    const bestAsk = view.asks[0]?.priceTicks ?? Infinity;
    equal(bestBid < bestAsk, true, `book ${view.bookId} crossed at step ${view.step}`);
    for (let i = 1; i < view.bids.length; i++) {
      equal(view.bids[i].priceTicks < view.bids[i - 1].priceTicks, true);
    }
    for (let i = 1; i < view.asks.length; i++) {
      equal(view.asks[i].priceTicks > view.asks[i - 1].priceTicks, true);
    }
  }
  for (const book of stats) equal(book.trades > 100 && book.volumeLots > 0, true);
});

Deno.test("subscribers get each step's view until they unsubscribe", () => {
  const simulator = new FfiSimulator(libraryPath);
  try {
    const market = new Market(simulator, { books: 1, seed: 1 });
    const steps: number[] = [];
    const unsubscribe = market.subscribe(0, (view) => steps.push(view.step));
    market.step();
    market.step();
    unsubscribe();
    market.step();
    deepEqual(steps, [1, 2]);
    throws(() => market.subscribe(1, () => {}), /Unknown book 1: books are 0 to 0/);
  } finally {
    simulator.close();
  }
});

Deno.test("lifetime statistics continue from what was stored", () => {
  const simulator = new FfiSimulator(libraryPath);
  try {
    const stored = { bookId: 0, trades: 1000, volumeLots: 5, lastPriceTicks: 1, updatedAt: 0 };
    const market = new Market(simulator, { books: 1, seed: 1, stats: [stored] });
    market.step();
    equal(market.stats()[0].trades >= 1000, true);
  } finally {
    simulator.close();
  }
});

Deno.test("mixSeed spreads nearby inputs to distinct 31-bit seeds", () => {
  const seeds = new Set<number>();
  for (let book = 0; book < 64; book++) {
    for (let trader = 0; trader < 16; trader++) seeds.add(mixSeed(1, book, trader));
  }
  equal(seeds.size, 64 * 16);
  for (const seed of seeds) equal(seed >= 0 && seed < 2 ** 31, true);
});
