// This module is browser compatible.
/**
 * What one market step did to one book, derived from the market's public
 * view and its lifetime totals (server/market.ts `view()` and `stats()`).
 *
 * The view lists only the newest trades (a bounded list), so a busy step
 * may show fewer trades than happened; the lifetime totals count them all.
 * Volume and trade counts therefore come from the change in the totals,
 * and prices from the trades the view shows, closed by the totals' last
 * price.
 *
 * @module
 */
import type { DepthLevel, Side } from "@/engine/book_records.ts";
import type { BookView } from "@/engine/book_view.ts";

/** A book's lifetime totals, as server/store/book_stats.ts keeps them. */
export interface LifetimeTotals {
  trades: number;
  volumeLots: number;
  lastPriceTicks: number | null;
}

export interface StepTrade {
  side: Side;
  priceTicks: number;
  quantityLots: number;
}

export interface BookStep {
  step: number;
  /** This step's trades that the view shows, oldest first. */
  trades: StepTrade[];
  /** Trades that happened in the step (at least `trades.length`). */
  tradeCount: number;
  /** Quantity traded in the step. */
  volumeLots: number;
  /** Last trade price so far, this step or before. */
  lastPriceTicks: number | null;
  bids: DepthLevel[];
  asks: DepthLevel[];
}

/**
 * The step `view` shows, given the totals after it and the totals before
 * it (`previous`, null on the first observation: then only the trades the
 * view shows count).
 */
export function bookStepOf(
  view: BookView,
  totals: LifetimeTotals,
  previous: LifetimeTotals | null,
): BookStep {
  const trades: StepTrade[] = [];
  for (const trade of view.trades) {
    if (trade.step !== view.step) continue;
    trades.push({
      side: trade.side,
      priceTicks: trade.priceTicks,
      quantityLots: trade.quantityLots,
    });
  }
  trades.reverse();
  const shownVolume = trades.reduce((sum, trade) => sum + trade.quantityLots, 0);
  const countDelta = previous === null ? -1 : totals.trades - previous.trades;
  const volumeDelta = previous === null ? -1 : totals.volumeLots - previous.volumeLots;
  return {
    step: view.step,
    trades,
    // Totals that went backwards (a reset) are ignored in favour of the view.
    tradeCount: Math.max(countDelta, trades.length),
    volumeLots: Math.max(volumeDelta, shownVolume),
    lastPriceTicks: totals.lastPriceTicks ?? trades.at(-1)?.priceTicks ?? null,
    bids: view.bids,
    asks: view.asks,
  };
}
