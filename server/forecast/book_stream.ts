/**
 * 5-minute candles of one simulated book (tsps.md §8: forecast the
 * simulated books as well as BTC/USD). The stream listens to the market's
 * public view of the book; a market step is one simulated second (τaos
 * §2.1), so the stream's clock is the market's step count × 1000 ms and
 * keeps running across simulations. Prices are in quote units (ticks
 * scaled by the book's price decimals), volumes in base units.
 *
 * Each view lists the step's newest trades (at most server/market.ts's 20);
 * a step with more trades contributes only those to high, low and volume,
 * while the close is always the step's last trade.
 *
 * @module
 */
import {
  buildCandles,
  type Candle,
  FIVE_MINUTES_MS,
  type Print,
} from "@/engine/forecast/candles.ts";
import type { BookView } from "@/engine/book_view.ts";
import type { ForecastStream } from "@/server/forecast/stream.ts";

/** One market step, in stream ms (τaos: 1 s per step). */
export const STEP_MS = 1000;
/** Closed candles kept: 4,000 × 5 min ≈ 14 simulated days. */
const KEPT_CANDLES = 4000;

/** What the stream needs of server/market.ts's Market. */
export interface BookSource {
  view(bookId: number): BookView;
  subscribe(bookId: number, listener: (view: BookView) => void): () => void;
}

function printTime(step: number): number {
  return step * STEP_MS - STEP_MS / 2;
}

export class BookCandleStream implements ForecastStream {
  readonly id: string;
  readonly intervalMs: number;
  readonly bookId: number;
  readonly #closed: Candle[] = [];
  /** Prints of the interval still open. */
  #prints: Print[] = [];
  /** Start of the open interval, stream ms. */
  #intervalStart: number;
  #lastClose: number | null = null;
  readonly #unsubscribe: () => void;

  constructor(market: BookSource, bookId: number, intervalMs = FIVE_MINUTES_MS) {
    if (!Number.isInteger(intervalMs) || intervalMs < STEP_MS || intervalMs % STEP_MS !== 0) {
      throw new RangeError(
        `Invalid intervalMs ${intervalMs}: must be a positive multiple of ${STEP_MS}`,
      );
    }
    this.bookId = bookId;
    this.intervalMs = intervalMs;
    this.id = `book-${bookId}-${
      intervalMs % 60_000 === 0 ? `${intervalMs / 60_000}m` : `${intervalMs / 1000}s`
    }`;
    const view = market.view(bookId);
    this.#intervalStart = Math.floor(printTime(view.step) / intervalMs) * intervalMs;
    this.#unsubscribe = market.subscribe(bookId, (next) => this.observe(next));
  }

  /** Takes one step's view (the market calls it; tests may too). */
  observe(view: BookView): void {
    // Step s covers ((s − 1) s, s s]: its trades print mid-step, so step 300
    // closes the first 5-minute candle and step 301 opens the next.
    const time = printTime(view.step);
    while (time >= this.#intervalStart + this.intervalMs) this.#closeInterval();
    const scale = 10 ** view.priceDecimals;
    const lots = 10 ** view.volumeDecimals;
    const trades = view.trades.filter((trade) => trade.step === view.step).reverse();
    for (const trade of trades) {
      this.#prints.push({
        time,
        price: trade.priceTicks / scale,
        quantity: trade.quantityLots / lots,
      });
    }
  }

  #closeInterval(): void {
    const end = this.#intervalStart + this.intervalMs;
    const seed: Print[] = this.#lastClose === null
      ? []
      : [{ time: this.#intervalStart - 1, price: this.#lastClose, quantity: 0 }];
    const [candle] = buildCandles(
      [...seed, ...this.#prints],
      this.#intervalStart,
      end,
      this.intervalMs,
    );
    if (candle !== undefined) {
      this.#closed.push(candle);
      this.#lastClose = candle.close;
      if (this.#closed.length > KEPT_CANDLES) {
        this.#closed.splice(0, this.#closed.length - KEPT_CANDLES);
      }
    }
    this.#prints = [];
    this.#intervalStart = end;
  }

  latestCloseTime(): Promise<number | null> {
    return Promise.resolve(this.#closed.at(-1)?.closeTime ?? null);
  }

  candles(afterMs: number, throughMs: number): Promise<Candle[]> {
    return Promise.resolve(
      this.#closed.filter((c) => c.closeTime > afterMs && c.closeTime <= throughMs),
    );
  }

  close(): void {
    this.#unsubscribe();
  }
}
