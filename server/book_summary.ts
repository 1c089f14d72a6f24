/**
 * One line per book for the index page and GET /api/books.
 *
 * @module
 */
import type { Market } from "@/server/market.ts";

export interface BookSummary {
  bookId: number;
  priceDecimals: number;
  bestBidTicks: number | null;
  bestAskTicks: number | null;
  lastPriceTicks: number | null;
  trades: number;
  volumeLots: number;
}

export function bookSummaries(market: Market): BookSummary[] {
  return market.stats().map((stats) => {
    const view = market.view(stats.bookId);
    return {
      bookId: stats.bookId,
      priceDecimals: view.priceDecimals,
      bestBidTicks: view.bids[0]?.priceTicks ?? null,
      bestAskTicks: view.asks[0]?.priceTicks ?? null,
      lastPriceTicks: stats.lastPriceTicks,
      trades: stats.trades,
      volumeLots: stats.volumeLots,
    };
  });
}
