import { deepEqual, equal } from "node:assert/strict";
import { bookStepOf } from "@/engine/market_data/book_step.ts";
import type { BookView } from "@/engine/book_view.ts";
import { Side } from "@/engine/book_records.ts";

const view: BookView = {
  bookId: 0,
  step: 5,
  priceDecimals: 2,
  volumeDecimals: 4,
  bids: [{ priceTicks: 99, quantityLots: 10 }],
  asks: [{ priceTicks: 101, quantityLots: 7 }],
  // Newest first: two trades in step 5, one left over from step 4.
  trades: [
    { step: 5, side: Side.Sell, priceTicks: 100, quantityLots: 3 },
    { step: 5, side: Side.Buy, priceTicks: 102, quantityLots: 2 },
    { step: 4, side: Side.Buy, priceTicks: 98, quantityLots: 1 },
  ],
};

Deno.test("bookStepOf() takes this step's trades oldest first and counts from the totals", () => {
  const step = bookStepOf(
    view,
    { trades: 14, volumeLots: 120, lastPriceTicks: 100 },
    { trades: 10, volumeLots: 100, lastPriceTicks: 98 },
  );
  deepEqual(step.trades.map((trade) => trade.priceTicks), [102, 100]);
  // The view showed 2 trades, the totals say 4 happened with 20 lots.
  equal(step.tradeCount, 4);
  equal(step.volumeLots, 20);
  equal(step.lastPriceTicks, 100);
  deepEqual(step.bids, view.bids);
});

Deno.test("bookStepOf() counts only the shown trades on the first observation or a reset", () => {
  const totals = { trades: 3, volumeLots: 9, lastPriceTicks: 100 };
  equal(bookStepOf(view, totals, null).volumeLots, 5);
  equal(bookStepOf(view, totals, { trades: 50, volumeLots: 500, lastPriceTicks: 1 }).tradeCount, 2);
});
