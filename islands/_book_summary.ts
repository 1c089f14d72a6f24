/**
 * Figures derived from a book's summary, for the islands that show it (the
 * overview's rows in MarketsTable and a book page's BookTicker): one
 * definition of the 24-hour change and of the spread, so the two pages
 * cannot disagree about a book.
 *
 * @module
 */
import type { TickerSummary } from "@/engine/market_data/book_market_data.ts";

/** Last price less the price 24 hours ago, in ticks; null while either is unknown. */
export function change24hTicks(
  book: Pick<TickerSummary, "lastPriceTicks" | "openTicks24h">,
): number | null {
  return difference(book.lastPriceTicks, book.openTicks24h);
}

/** Best ask less best bid, in ticks; null while either side is empty. */
export function spreadTicks(
  book: Pick<TickerSummary, "bestBidTicks" | "bestAskTicks">,
): number | null {
  return difference(book.bestAskTicks, book.bestBidTicks);
}

function difference(ticks: number | null, lessTicks: number | null): number | null {
  return ticks !== null && lessTicks !== null ? ticks - lessTicks : null;
}
