/**
 * What the public sees of one live book: the ladder and the latest trades.
 * Sent as JSON over the live feed and rendered by islands/BookLadder.tsx.
 *
 * @module
 */
import type { DepthLevel, Side } from "@/engine/book_records.ts";

export interface TradeView {
  /** Simulation step the trade happened in. */
  step: number;
  /** The aggressor's side. */
  side: Side;
  priceTicks: number;
  quantityLots: number;
}

export interface BookView {
  bookId: number;
  step: number;
  /** Decimal places of one price tick (τaos priceDecimals). */
  priceDecimals: number;
  /** Decimal places of one quantity lot (τaos volumeDecimals). */
  volumeDecimals: number;
  bids: DepthLevel[];
  asks: DepthLevel[];
  /** Newest first. */
  trades: TradeView[];
}
