/**
 * The live market: simulated books fed by seeded background traders, with
 * the public view of each book and a subscription per book for the feed.
 *
 * One `step()` asks every trader of every book for commands, applies them
 * through the `Simulator`, lets the traders observe the events, and
 * publishes the new view. Stepping is synchronous and seeded, so a seed and
 * a step count determine the whole history.
 *
 * @module
 */
import type { BookView, TradeView } from "@/engine/book_view.ts";
import { NoiseTrader } from "@/engine/noise_trader.ts";
import type { Simulator } from "@/engine/simulator.ts";
import type { BookStats } from "@/server/store/book_stats.ts";

export interface MarketOptions {
  books: number;
  seed: number;
  /** Traders per book (background agents have negative ids, as in τaos). */
  tradersPerBook?: number;
  /** τaos initialPrice 300.00 at priceDecimals 2. */
  startPriceTicks?: number;
  /** Lifetime statistics to continue from, by book id. */
  stats?: readonly BookStats[];
}

/** τaos's grids (shared/reference/taos.md §2.2): prices 2 decimals, volumes 4. */
const PRICE_DECIMALS = 2;
const VOLUME_DECIMALS = 4;
/** Levels per side in the public view. */
const VIEW_LEVELS = 10;
/** Trades kept in the public view. */
const VIEW_TRADES = 20;

type Listener = (view: BookView) => void;

interface LiveBook {
  id: number;
  traders: NoiseTrader[];
  view: BookView;
  stats: BookStats;
  listeners: Set<Listener>;
}

export class Market {
  readonly #simulator: Simulator;
  readonly #books: LiveBook[] = [];
  #step = 0;

  constructor(simulator: Simulator, options: MarketOptions) {
    this.#simulator = simulator;
    const tradersPerBook = options.tradersPerBook ?? 8;
    for (let index = 0; index < options.books; index++) {
      const id = simulator.addBook();
      const traders = Array.from({ length: tradersPerBook }, (_, trader) =>
        new NoiseTrader({
          agentId: -1 - trader,
          seed: mixSeed(options.seed, id, trader),
          startPriceTicks: options.startPriceTicks ?? 30_000,
          maxQuantityLots: 20_000,
        }));
      this.#books.push({
        id,
        traders,
        view: {
          bookId: id,
          step: 0,
          priceDecimals: PRICE_DECIMALS,
          volumeDecimals: VOLUME_DECIMALS,
          bids: [],
          asks: [],
          trades: [],
        },
        stats: options.stats?.find((entry) => entry.bookId === id) ??
          { bookId: id, trades: 0, volumeLots: 0, lastPriceTicks: null, updatedAt: Date.now() },
        listeners: new Set(),
      });
    }
  }

  get bookCount(): number {
    return this.#books.length;
  }

  get stepCount(): number {
    return this.#step;
  }

  /** Advances every book by one step and notifies subscribers. */
  step(): void {
    this.#step++;
    for (const book of this.#books) {
      const top = this.#simulator.depth(book.id, 1);
      const commands = book.traders.flatMap((trader) => trader.decide(top));
      const events = this.#simulator.apply(book.id, commands);
      for (const trader of book.traders) trader.observe(events);

      const trades: TradeView[] = [];
      for (const event of events) {
        if (event.kind !== "trade") continue;
        trades.push({
          step: this.#step,
          side: event.side,
          priceTicks: event.priceTicks,
          quantityLots: event.quantityLots,
        });
        book.stats.trades++;
        book.stats.volumeLots += event.quantityLots;
        book.stats.lastPriceTicks = event.priceTicks;
      }
      const depth = this.#simulator.depth(book.id, VIEW_LEVELS);
      book.view = {
        ...book.view,
        step: this.#step,
        bids: depth.bids,
        asks: depth.asks,
        trades: [...trades.reverse(), ...book.view.trades].slice(0, VIEW_TRADES),
      };
      for (const listener of book.listeners) listener(book.view);
    }
  }

  /** The latest public view of `bookId`; throws a RangeError if unknown. */
  view(bookId: number): BookView {
    return this.#book(bookId).view;
  }

  /** Lifetime statistics of every book, stamped now. */
  stats(): BookStats[] {
    const now = Date.now();
    return this.#books.map((book) => ({ ...book.stats, updatedAt: now }));
  }

  /** Calls `listener` with each new view of `bookId`; returns the unsubscribe. */
  subscribe(bookId: number, listener: Listener): () => void {
    const book = this.#book(bookId);
    book.listeners.add(listener);
    return () => book.listeners.delete(listener);
  }

  /** Whether `bookId` names a book of this market. */
  has(bookId: number): boolean {
    return Number.isInteger(bookId) && bookId >= 0 && bookId < this.#books.length;
  }

  #book(bookId: number): LiveBook {
    if (!this.has(bookId)) {
      throw new RangeError(`Unknown book ${bookId}: books are 0 to ${this.#books.length - 1}`);
    }
    return this.#books[bookId];
  }
}

/** A well-spread 31-bit seed for (seed, book, trader), via the splitmix32 finaliser. */
export function mixSeed(seed: number, bookId: number, trader: number): number {
  let x = (seed ^ Math.imul(bookId + 1, 0x9e3779b9) ^ Math.imul(trader + 1, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 1;
}
