import { deepEqual, equal, throws } from "node:assert/strict";
import { BookMarketData, SPARKLINE_POINTS } from "@/engine/market_data/book_market_data.ts";
import type { BookStep } from "@/engine/market_data/book_step.ts";
import { Side } from "@/engine/book_records.ts";

function stepAt(step: number, prices: number[], volumeLots = prices.length * 10): BookStep {
  return {
    step,
    trades: prices.map((priceTicks) => ({ side: Side.Buy, priceTicks, quantityLots: 10 })),
    tradeCount: prices.length,
    volumeLots,
    lastPriceTicks: prices.at(-1) ?? null,
    bids: [{ priceTicks: 99, quantityLots: 5 }],
    asks: [{ priceTicks: 103, quantityLots: 6 }],
  };
}

function newBook(lastPriceTicks: number | null = null) {
  return new BookMarketData({ bookId: 2, priceDecimals: 2, volumeDecimals: 4, lastPriceTicks });
}

Deno.test("BookMarketData builds candles of every interval from steps", () => {
  const book = newBook();
  book.apply(stepAt(1, [100, 105]));
  book.apply(stepAt(2, [95]));
  book.apply(stepAt(3, []));
  deepEqual(book.candles("1s").since().map((c) => [c.time, c.open, c.high, c.low, c.close]), [
    [0, 100, 105, 100, 105],
    [1, 95, 95, 95, 95],
    [2, 95, 95, 95, 95],
  ]);
  deepEqual(book.candles("10s").since(), [
    { time: 0, open: 100, high: 105, low: 95, close: 95, volume: 30 },
  ]);
});

Deno.test("BookMarketData.summary() gives last price, 24h change base, range, volume and touch", () => {
  const book = newBook(90);
  equal(book.summary().lastPriceTicks, 90, "the last price from before the process started");
  book.apply(stepAt(1, [100, 110]));
  book.apply(stepAt(2, [104]));
  const summary = book.summary();
  equal(summary.step, 2);
  equal(summary.lastPriceTicks, 104);
  equal(summary.openTicks24h, 100);
  equal(summary.highTicks24h, 110);
  equal(summary.lowTicks24h, 100);
  equal(summary.volumeLots24h, 30);
  equal(summary.bestBidTicks, 99);
  equal(summary.bestAskTicks, 103);
  deepEqual(summary.sparkline, [104]);
});

Deno.test("BookMarketData's 24h window forgets trades older than a simulated day", () => {
  const book = newBook();
  book.apply(stepAt(1, [200]));
  book.apply(stepAt(86_001, []));
  // 86,401 simulated seconds later the first trade is out of the window.
  book.apply(stepAt(86_402, [150]));
  const summary = book.summary();
  equal(summary.openTicks24h, 200, "the carried-forward candle opens at the old close");
  equal(summary.volumeLots24h, 10, "but its volume is gone");
});

Deno.test("BookMarketData's sparkline holds the newest minute closes", () => {
  const book = newBook();
  for (let minute = 0; minute < SPARKLINE_POINTS + 5; minute++) {
    book.apply(stepAt(minute * 60 + 1, [1000 + minute]));
  }
  const { sparkline } = book.summary();
  equal(sparkline.length, SPARKLINE_POINTS);
  equal(sparkline.at(-1), 1000 + SPARKLINE_POINTS + 4);
});

Deno.test("BookMarketData numbers tape trades and refuses steps out of order", () => {
  const book = newBook();
  book.apply(stepAt(1, [100, 101]));
  deepEqual(book.tape.newestSince().map((trade) => [trade.id, trade.step]), [[2, 1], [1, 1]]);
  deepEqual(book.ladder().asks, [{ priceTicks: 103, quantityLots: 6 }]);
  throws(() => book.apply(stepAt(1, [])), /Cannot apply step 1: book 2 is at 1/);
});
