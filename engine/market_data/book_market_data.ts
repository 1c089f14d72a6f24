// This module is browser compatible.
/**
 * Everything the public viewer shows of one book, kept up to date step by
 * step: candles at every CANDLE_INTERVALS length, the trades tape, the
 * ladder, and a summary with the 24-hour change, range and volume and a
 * sparkline. Pure and synchronous; server/feed/ feeds it the market's steps.
 *
 * @module
 */
import type { DepthLevel } from "@/engine/book_records.ts";
import type { BookStep } from "@/engine/market_data/book_step.ts";
import {
  CANDLE_INTERVAL_NAMES,
  CANDLE_INTERVALS,
  type CandleInterval,
} from "@/engine/market_data/candle_interval.ts";
import { type Candle, CandleSeries } from "@/engine/market_data/candle_series.ts";
import { SECONDS_PER_DAY, stepStartSeconds } from "@/engine/market_data/time_base.ts";
import { TradeTape } from "@/engine/market_data/trade_tape.ts";

/** Candles kept per interval: 300 × 5 min covers the 24-hour window. */
export const CANDLE_CAPACITY = 300;
/** Trades kept on the tape. */
export const TAPE_CAPACITY = 60;
/** Points in a sparkline: one simulated hour of 1-minute closes. */
export const SPARKLINE_POINTS = 60;
/** The interval sparklines are drawn from. */
const SPARKLINE_INTERVAL: CandleInterval = "1m";
/** The interval the 24-hour figures fold (288 of them make a day). */
const DAY_WINDOW_INTERVAL: CandleInterval = "5m";

export interface LadderData {
  bookId: number;
  step: number;
  priceDecimals: number;
  volumeDecimals: number;
  /** Best first; as many levels as the market's view carries. */
  bids: DepthLevel[];
  asks: DepthLevel[];
}

/** One book at a glance: the overview's row and a book page's header. */
export interface MarketSummary {
  bookId: number;
  step: number;
  priceDecimals: number;
  volumeDecimals: number;
  lastPriceTicks: number | null;
  /** Price at the start of the 24-hour window (or of the history, if shorter). */
  openTicks24h: number | null;
  highTicks24h: number | null;
  lowTicks24h: number | null;
  volumeLots24h: number;
  bestBidTicks: number | null;
  bestAskTicks: number | null;
  /** Recent 1-minute closes, oldest first. */
  sparkline: number[];
}

/** A book page's header figures: the summary without the overview's sparkline. */
export type TickerSummary = Omit<MarketSummary, "sparkline">;

export interface BookMarketDataOptions {
  bookId: number;
  priceDecimals: number;
  volumeDecimals: number;
  /** Last price before this process started (the market's lifetime totals). */
  lastPriceTicks?: number | null;
  bids?: DepthLevel[];
  asks?: DepthLevel[];
}

export class BookMarketData {
  readonly bookId: number;
  readonly priceDecimals: number;
  readonly volumeDecimals: number;
  readonly tape = new TradeTape(TAPE_CAPACITY);
  readonly #candles: Record<CandleInterval, CandleSeries>;
  #step = 0;
  #lastPriceTicks: number | null;
  #bids: DepthLevel[];
  #asks: DepthLevel[];
  #summary: MarketSummary | null = null;

  constructor(options: BookMarketDataOptions) {
    this.bookId = options.bookId;
    this.priceDecimals = options.priceDecimals;
    this.volumeDecimals = options.volumeDecimals;
    this.#lastPriceTicks = options.lastPriceTicks ?? null;
    this.#bids = options.bids ?? [];
    this.#asks = options.asks ?? [];
    this.#candles = Object.fromEntries(
      CANDLE_INTERVAL_NAMES.map((name) => [
        name,
        new CandleSeries(CANDLE_INTERVALS[name], CANDLE_CAPACITY),
      ]),
    ) as Record<CandleInterval, CandleSeries>;
  }

  /** The last step applied, 0 before the first. */
  get step(): number {
    return this.#step;
  }

  /** Applies one market step; steps must come in order. */
  apply(step: BookStep): void {
    if (step.step <= this.#step) {
      throw new RangeError(
        `Cannot apply step ${step.step}: book ${this.bookId} is at ${this.#step}`,
      );
    }
    this.#step = step.step;
    this.#bids = step.bids;
    this.#asks = step.asks;
    this.#lastPriceTicks = step.lastPriceTicks ?? this.#lastPriceTicks;
    this.#summary = null;

    const time = stepStartSeconds(step.step);
    const ohlcv = stepCandle(step);
    for (const name of CANDLE_INTERVAL_NAMES) this.#candles[name].record(time, ohlcv);
    this.tape.push(step.trades.map((trade) => ({ ...trade, step: step.step })));
  }

  /** The candle series of `interval`. */
  candles(interval: CandleInterval): CandleSeries {
    return this.#candles[interval];
  }

  ladder(): LadderData {
    return {
      bookId: this.bookId,
      step: this.#step,
      priceDecimals: this.priceDecimals,
      volumeDecimals: this.volumeDecimals,
      bids: this.#bids,
      asks: this.#asks,
    };
  }

  /** The book's summary now (computed once per step). */
  summary(): MarketSummary {
    if (this.#summary !== null) return this.#summary;
    const now = stepStartSeconds(Math.max(this.#step, 1));
    const day = this.#candles[DAY_WINDOW_INTERVAL].aggregateSince(now - SECONDS_PER_DAY + 1);
    this.#summary = {
      bookId: this.bookId,
      step: this.#step,
      priceDecimals: this.priceDecimals,
      volumeDecimals: this.volumeDecimals,
      lastPriceTicks: this.#lastPriceTicks,
      openTicks24h: day?.open ?? null,
      highTicks24h: day?.high ?? null,
      lowTicks24h: day?.low ?? null,
      volumeLots24h: day?.volume ?? 0,
      bestBidTicks: this.#bids[0]?.priceTicks ?? null,
      bestAskTicks: this.#asks[0]?.priceTicks ?? null,
      sparkline: this.#candles[SPARKLINE_INTERVAL].closes(SPARKLINE_POINTS),
    };
    return this.#summary;
  }
}

/** The OHLCV of one step's trades; null when nothing traded. */
function stepCandle(step: BookStep): Omit<Candle, "time"> | null {
  if (step.tradeCount === 0) return null;
  const prices = step.trades.map((trade) => trade.priceTicks);
  const close = step.lastPriceTicks ?? prices.at(-1);
  if (close === undefined) return null;
  if (prices.length === 0) prices.push(close);
  return {
    open: prices[0],
    high: Math.max(...prices, close),
    low: Math.min(...prices, close),
    close,
    volume: step.volumeLots,
  };
}
