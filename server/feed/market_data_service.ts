/**
 * The market data layer: watches every book of the running market and
 * keeps its candles, tape, 24-hour summary and sparkline
 * (engine/market_data/), then tells its listeners which books moved.
 *
 * It relies only on the market's public face (`bookCount`, `has`, `view`,
 * `stats`, `subscribe`). The market notifies each book in turn inside one
 * `step()`; the service gathers those notifications and ingests them in
 * one microtask, reading the lifetime totals (`stats()`) once per step.
 *
 * @module
 */
import type { Market } from "@/server/market.ts";
import type { BookView } from "@/engine/book_view.ts";
import {
  BookMarketData,
  bookStepOf,
  type LifetimeTotals,
  type MarketSummary,
} from "@/engine/market_data/mod.ts";

/** The parts of server/market.ts's Market the feed relies on. */
export type MarketSource = Pick<Market, "bookCount" | "has" | "view" | "stats" | "subscribe">;

/** Called after a step with the books it changed and when it was published (Unix ms). */
export type MarketDataListener = (bookIds: readonly number[], publishedAt: number) => void;

export class MarketDataService {
  readonly #market: MarketSource;
  readonly #books: BookMarketData[] = [];
  readonly #totals: LifetimeTotals[] = [];
  readonly #pending = new Map<number, BookView>();
  readonly #listeners = new Set<MarketDataListener>();
  readonly #unsubscribes: (() => void)[] = [];

  constructor(market: MarketSource) {
    this.#market = market;
    const totals = totalsById(market);
    for (let bookId = 0; bookId < market.bookCount; bookId++) {
      const view = market.view(bookId);
      this.#totals.push(totals.get(bookId) ?? { trades: 0, volumeLots: 0, lastPriceTicks: null });
      this.#books.push(
        new BookMarketData({
          bookId,
          priceDecimals: view.priceDecimals,
          volumeDecimals: view.volumeDecimals,
          lastPriceTicks: this.#totals[bookId].lastPriceTicks,
          bids: view.bids,
          asks: view.asks,
        }),
      );
      this.#unsubscribes.push(market.subscribe(bookId, (next) => this.#notified(next)));
    }
  }

  get bookCount(): number {
    return this.#books.length;
  }

  /** Whether `bookId` names a book of the market. */
  has(bookId: number): boolean {
    return this.#market.has(bookId);
  }

  /** The market data of `bookId`; throws a RangeError if there is no such book. */
  book(bookId: number): BookMarketData {
    if (!this.has(bookId)) {
      throw new RangeError(`Unknown book ${bookId}: books are 0 to ${this.#books.length - 1}`);
    }
    return this.#books[bookId];
  }

  /** Every book's summary, by book id. */
  overview(): MarketSummary[] {
    return this.#books.map((book) => book.summary());
  }

  /** Calls `listener` after each step; returns the unsubscribe. */
  onUpdate(listener: MarketDataListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops watching the market. */
  close(): void {
    for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe();
    this.#listeners.clear();
    this.#pending.clear();
  }

  #notified(view: BookView): void {
    if (this.#pending.size === 0) queueMicrotask(() => this.#ingest());
    this.#pending.set(view.bookId, view);
  }

  #ingest(): void {
    if (this.#pending.size === 0) return;
    const totals = totalsById(this.#market);
    const changed: number[] = [];
    for (const [bookId, view] of this.#pending) {
      const book = this.#books[bookId];
      const after = totals.get(bookId);
      if (book === undefined || after === undefined || view.step <= book.step) continue;
      book.apply(bookStepOf(view, after, this.#totals[bookId]));
      this.#totals[bookId] = after;
      changed.push(bookId);
    }
    this.#pending.clear();
    if (changed.length === 0) return;
    const publishedAt = performance.timeOrigin + performance.now();
    for (const listener of this.#listeners) listener(changed, publishedAt);
  }
}

function totalsById(market: MarketSource): Map<number, LifetimeTotals> {
  const totals = new Map<number, LifetimeTotals>();
  for (const stats of market.stats()) {
    totals.set(stats.bookId, {
      trades: stats.trades,
      volumeLots: stats.volumeLots,
      lastPriceTicks: stats.lastPriceTicks,
    });
  }
  return totals;
}
