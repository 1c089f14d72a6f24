/**
 * Small measurements of a published book that the example agents share.
 *
 * @module
 */
import type { Book } from "@/engine/protocol/state_update.ts";

/** Midpoint of the touch, or null when a side is empty. */
export function midPrice(book: Book): number | null {
  const bid = book.b[0]?.p;
  const ask = book.a[0]?.p;
  return bid === undefined || ask === undefined ? null : (bid + ask) / 2;
}

/**
 * Order-book imbalance over the top `levels` levels: (bid − ask volume) /
 * (bid + ask volume), in [−1, 1]; 0 for an empty book.
 */
export function imbalance(book: Book, levels: number): number {
  const sum = (side: Book["b"]) =>
    side.slice(0, levels).reduce((total, level) => total + level.q, 0);
  const bids = sum(book.b);
  const asks = sum(book.a);
  return bids + asks === 0 ? 0 : (bids - asks) / (bids + asks);
}

/** Rounds `price` to the book's price grid. */
export function onGrid(price: number, decimals: number): number {
  return Number(price.toFixed(decimals));
}
