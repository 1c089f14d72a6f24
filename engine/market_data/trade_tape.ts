// This module is browser compatible.
/**
 * The trades tape of one book: the newest trades, each numbered, bounded to
 * `capacity`. Numbers let a browser merge overlapping feed updates without
 * showing a trade twice.
 *
 * @module
 */
import type { Side } from "@/engine/book_records.ts";

export interface TapeTrade {
  /** 1, 2, 3… per book in the order the trades happened. */
  id: number;
  /** Simulation step the trade happened in. */
  step: number;
  /** The aggressor's side. */
  side: Side;
  priceTicks: number;
  quantityLots: number;
}

export class TradeTape {
  readonly capacity: number;
  /** Oldest first. */
  #trades: TapeTrade[] = [];
  #lastId = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Invalid tape capacity ${capacity}: must be an integer ≥ 1`);
    }
    this.capacity = capacity;
  }

  /** Id of the newest trade, 0 before the first. */
  get lastId(): number {
    return this.#lastId;
  }

  /** Appends trades given oldest first, numbering them. */
  push(trades: readonly Omit<TapeTrade, "id">[]): void {
    for (const trade of trades) this.#trades.push({ ...trade, id: ++this.#lastId });
    const excess = this.#trades.length - this.capacity;
    if (excess > 0) this.#trades.splice(0, excess);
  }

  /** Trades with an id above `afterId`, newest first. */
  newestSince(afterId = 0): TapeTrade[] {
    const trades: TapeTrade[] = [];
    for (let i = this.#trades.length - 1; i >= 0 && this.#trades[i].id > afterId; i--) {
      trades.push(this.#trades[i]);
    }
    return trades;
  }
}

/**
 * Puts `updates` (newest first) in front of `tape` (newest first), skipping
 * trades already shown, and keeps the newest `capacity`. How a browser
 * applies a feed update.
 */
export function mergeTape(
  tape: readonly TapeTrade[],
  updates: readonly TapeTrade[],
  capacity: number,
): TapeTrade[] {
  const newestShown = tape[0]?.id ?? 0;
  const fresh = updates.filter((trade) => trade.id > newestShown);
  return [...fresh, ...tape].slice(0, capacity);
}
