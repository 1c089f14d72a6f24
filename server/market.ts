/**
 * The live market: the background market's books (native/sim/, τaos's
 * agent populations trading them) with the public view of each book and a
 * subscription per book for the feed.
 *
 * The books live in one `Engine` — the native simulation opened by
 * server/sim/background_market.ts — where miners' accounts and instructions
 * go too. One `step()` advances the simulation by one simulated second
 * (τaos §2.1 step) and publishes the new view of every book. The simulation
 * is seeded, so a seed and the instructions submitted fully determine the
 * history.
 *
 * @module
 */
import type { BookConfig, BookEvent } from "@/engine/book_records.ts";
import type { BookView, TradeView } from "@/engine/book_view.ts";
import type { Engine, StepOutput } from "@/engine/simulator.ts";
import type { BookStats } from "@/server/store/book_stats.ts";

export interface MarketOptions {
  /** Lifetime statistics to continue from, by book id. */
  stats?: readonly BookStats[];
}

/** Simulated time per step: τaos's 1 s step (shared/reference/taos.md §2.1). */
const STEP_NS = 1_000_000_000;
/** Levels per side in the public view (τaos book_levels, §3.3). */
const VIEW_LEVELS = 21;
/** Trades kept in the public view. */
const VIEW_TRADES = 20;

type Listener = (view: BookView) => void;
/** Gets every step's whole output, e.g. the GenTRX pool's tick (server/gentrx/). */
type StepListener = (output: StepOutput, engine: Engine) => void;

interface LiveBook {
  id: number;
  view: BookView;
  stats: BookStats;
  listeners: Set<Listener>;
}

export class Market {
  #engine: Engine;
  readonly #configs: readonly BookConfig[];
  readonly #books: LiveBook[] = [];
  readonly #stepListeners = new Set<StepListener>();
  #step = 0;

  /** `engine` runs the books; `configs` are their rules, one per book. */
  constructor(engine: Engine, configs: readonly BookConfig[], options: MarketOptions = {}) {
    if (configs.length !== engine.bookCount) {
      throw new RangeError(
        `Cannot open the market: ${configs.length} book configs for ${engine.bookCount} books`,
      );
    }
    this.#engine = engine;
    this.#configs = configs;
    configs.forEach((config, id) => {
      this.#books.push({
        id,
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
    });
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
    const output = this.#engine.step(this.#engine.nowNs + STEP_NS);
    const eventsByBook = new Map<number, BookEvent[]>();
    for (const event of output.events) {
      const events = eventsByBook.get(event.bookId) ?? [];
      events.push(event);
      eventsByBook.set(event.bookId, events);
    }
    for (const book of this.#books) {
      const events = eventsByBook.get(book.id) ?? [];

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
    for (const listener of this.#stepListeners) listener(output, this.#engine);
    return output;
  }

  /** Calls `listener` after each step with its output; returns the unsubscribe. */
  onStep(listener: StepListener): () => void {
    this.#stepListeners.add(listener);
    return () => this.#stepListeners.delete(listener);
  }

  /**
   * Runs the books on `engine` from now on — a new simulation's fresh
   * background market (τaos: a new run after ESE) — and closes the old one.
   * Subscribers stay; the step count and lifetime statistics go on, the
   * tape starts empty.
   */
  replaceEngine(engine: Engine): void {
    if (engine.bookCount !== this.#books.length) {
      throw new RangeError(
        `Cannot replace the engine: it has ${engine.bookCount} books, the market ${this.#books.length}`,
      );
    }
    const old = this.#engine;
    this.#engine = engine;
    for (const book of this.#books) book.view = { ...book.view, trades: [] };
    if (old !== engine) old.close();
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
