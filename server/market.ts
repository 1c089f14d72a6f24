/**
 * The live market: simulated books fed by seeded background traders, with
 * the public view of each book and a subscription per book for the feed.
 *
 * The books live in one native `Engine` with τaos's exchange rules
 * (TAOS_BOOK_CONFIG); each background trader has an account with a large
 * balance on its book. One `step()` asks every trader of every book for
 * instructions, submits them, advances the engine's clock by one simulated
 * second (τaos §2.1 step), lets the traders observe the events, and
 * publishes the new view. Stepping is synchronous and seeded, so a seed and
 * a step count determine the whole history.
 *
 * @module
 */
import { type BookConfig, type BookEvent, TAOS_BOOK_CONFIG } from "@/engine/book_records.ts";
import type { BookView, TradeView } from "@/engine/book_view.ts";
import { NoiseTrader } from "@/engine/noise_trader.ts";
import type { Engine, Simulator, StepOutput } from "@/engine/simulator.ts";
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

/** Simulated time per step: τaos's 1 s step (shared/reference/taos.md §2.1). */
const STEP_NS = 1_000_000_000;
/**
 * Background traders' balances: far more than they can trade away (10^8
 * base and 10^9 quote at τaos's grids), so they never run dry.
 */
const TRADER_BASE_LOTS = 10 ** 12;
const TRADER_QUOTE_UNITS = 10 ** 15;
/** Levels per side in the public view (τaos book_levels, §3.3). */
const VIEW_LEVELS = 21;
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
  readonly #engine: Engine;
  readonly #configs: readonly BookConfig[];
  readonly #books: LiveBook[] = [];
  #step = 0;

  constructor(simulator: Simulator, options: MarketOptions) {
    const config = TAOS_BOOK_CONFIG;
    this.#configs = Array.from({ length: options.books }, () => config);
    this.#engine = simulator.createEngine(this.#configs);
    const tradersPerBook = options.tradersPerBook ?? 8;
    for (let id = 0; id < options.books; id++) {
      const traders = Array.from({ length: tradersPerBook }, (_, trader) => {
        const agentId = -1 - trader;
        this.#engine.deposit(agentId, id, TRADER_BASE_LOTS, TRADER_QUOTE_UNITS);
        return new NoiseTrader({
          agentId,
          bookId: id,
          priceDecimals: config.priceDecimals,
          volumeDecimals: config.volumeDecimals,
          seed: mixSeed(options.seed, id, trader),
          startPriceTicks: options.startPriceTicks ?? 30_000,
          minQuantityLots: config.minOrderLots,
          maxQuantityLots: 20_000,
        });
      });
      this.#books.push({
        id,
        traders,
        view: {
          bookId: id,
          step: 0,
          priceDecimals: config.priceDecimals,
          volumeDecimals: config.volumeDecimals,
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

  /** The exchange the books live in; miners' accounts and instructions go here too. */
  get engine(): Engine {
    return this.#engine;
  }

  get bookConfigs(): readonly BookConfig[] {
    return this.#configs;
  }

  /**
   * Advances every book by one step, notifies subscribers, and returns what
   * the step produced (every agent's events and notices, miners' included).
   */
  step(): StepOutput {
    this.#step++;
    for (const book of this.#books) {
      const top = this.#engine.depth(book.id, 1, 0);
      this.#engine.submit(book.traders.flatMap((trader) => trader.decide(top)));
    }
    const output = this.#engine.step(this.#engine.nowNs + STEP_NS);
    const eventsByBook = new Map<number, BookEvent[]>();
    for (const event of output.events) {
      const events = eventsByBook.get(event.bookId) ?? [];
      events.push(event);
      eventsByBook.set(event.bookId, events);
    }
    for (const book of this.#books) {
      const events = eventsByBook.get(book.id) ?? [];
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
      const depth = this.#engine.depth(book.id, VIEW_LEVELS, 0);
      book.view = {
        ...book.view,
        step: this.#step,
        bids: depth.bids,
        asks: depth.asks,
        trades: [...trades.reverse(), ...book.view.trades].slice(0, VIEW_TRADES),
      };
      for (const listener of book.listeners) listener(book.view);
    }
    return output;
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
