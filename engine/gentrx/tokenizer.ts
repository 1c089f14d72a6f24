/**
 * The GenTRX tokenizer (taos.md §6.1): an order-flow event becomes five
 * field tokens, each predicted by its own head, plus what the model is told
 * about the market it happened in.
 *
 * | field | bins | scheme |
 * |---|---|---|
 * | type | 5 | bid, ask, cancel, exec-buy, exec-sell |
 * | price | 100 | floor(price − mid) in ticks, symmetric log over ±500 (`PriceBins`) |
 * | volumeInt | 64 | whole volume units, log over [0, 100] (`LogBins`) |
 * | volumeDec | 8 | the fraction of a volume unit, linear over [0, 1) |
 * | interval | 64 | ns since the previous event, log over [0, 50 ms] (`LogBins`) |
 *
 * A volume unit is 10^volumeDecimals lots (τaos volumeDecimals 4, §2.2).
 * Besides the tokens, each row carries the change of the mid the event
 * caused (an embedding over ±2000 ticks) and FiLM conditioning: the 10 ask
 * and 10 bid level volumes and the 5-second time-of-day bin, all of the book
 * after the event, so row t's context is exactly what is known when the
 * model predicts event t + 1.
 *
 * @module
 */
import type { Depth } from "@/engine/book_records.ts";
import { LogBins } from "@/engine/gentrx/log_bins.ts";
import {
  midPriceTicks,
  ORDER_TYPE_COUNT,
  type OrderFlowOrder,
  type OrderFlowRow,
  type OrderType,
} from "@/engine/gentrx/order_flow.ts";
import { PriceBins } from "@/engine/gentrx/price_bins.ts";
import type { SeededRandom } from "@/engine/seeded_random.ts";

/** The bin schemes and conditioning of taos.md §6.1; stored in every checkpoint. */
export interface TokenizerConfig {
  priceBins: number;
  priceRangeTicks: number;
  volumeIntBins: number;
  /** Largest whole volume with its own bins, in volume units. */
  volumeIntMax: number;
  volumeDecBins: number;
  intervalBins: number;
  intervalMaxNs: number;
  /** Mid changes beyond ± this many ticks share the outermost embedding row. */
  midDeltaRangeTicks: number;
  /** Book levels per side fed to FiLM. */
  lobLevels: number;
  timeOfDayBinS: number;
  /** A volume unit is 10^volumeDecimals lots. */
  volumeDecimals: number;
}

/** τaos's values (taos.md §6.1, volumeDecimals from §2.2). */
export const TAOS_TOKENIZER_CONFIG: TokenizerConfig = {
  priceBins: 100,
  priceRangeTicks: 500,
  volumeIntBins: 64,
  volumeIntMax: 100,
  volumeDecBins: 8,
  intervalBins: 64,
  intervalMaxNs: 50_000_000,
  midDeltaRangeTicks: 2000,
  lobLevels: 10,
  timeOfDayBinS: 5,
  volumeDecimals: 4,
};

/** The predicted fields, in the order of `OrderTokens`' arrays and the model's heads. */
export const FIELDS = ["type", "price", "volumeInt", "volumeDec", "interval"] as const;
export type Field = typeof FIELDS[number];

/** One event's token per field. */
export type OrderTokens = Record<Field, number>;

/** One tokenized row: the event's tokens and the context after it. */
export interface TokenizedRow {
  tokens: OrderTokens;
  /** Row of the mid-delta embedding: trunc(mid after − mid before) + range, clamped. */
  midDeltaId: number;
  /** FiLM input: `conditionSize(config)` values, see `Tokenizer.conditionOf`. */
  condition: Float32Array;
}

/** The market an event is decoded into: the book now and the previous event's time. */
export interface DecodeContext {
  book: Depth;
  previousTimestampNs: number;
}

const NS_PER_S = 1e9;
const SECONDS_PER_DAY = 86_400;
/** Conditioning values beside the level volumes: sin and cos of the time-of-day phase. */
const TIME_OF_DAY_FEATURES = 2;

/** Bins per field, in `FIELDS` order. */
export function fieldSizes(config: TokenizerConfig): Record<Field, number> {
  return {
    type: ORDER_TYPE_COUNT,
    price: config.priceBins,
    volumeInt: config.volumeIntBins,
    volumeDec: config.volumeDecBins,
    interval: config.intervalBins,
  };
}

/** Rows of the mid-delta embedding: every delta in ±range. */
export function midDeltaVocab(config: TokenizerConfig): number {
  return 2 * config.midDeltaRangeTicks + 1;
}

/** FiLM input width: ask and bid level volumes plus the time of day. */
export function conditionSize(config: TokenizerConfig): number {
  return 2 * config.lobLevels + TIME_OF_DAY_FEATURES;
}

/** Encodes events to tokens and decodes tokens back to events. */
export class Tokenizer {
  readonly config: TokenizerConfig;
  readonly #price: PriceBins;
  readonly #volumeInt: LogBins;
  readonly #interval: LogBins;
  readonly #lotsPerUnit: number;

  constructor(config: TokenizerConfig = TAOS_TOKENIZER_CONFIG) {
    this.config = config;
    this.#price = new PriceBins(config.priceBins, config.priceRangeTicks);
    this.#volumeInt = new LogBins(config.volumeIntBins, config.volumeIntMax);
    this.#interval = new LogBins(config.intervalBins, config.intervalMaxNs);
    this.#lotsPerUnit = 10 ** config.volumeDecimals;
  }

  /**
   * Tokenizes events in time order. `initialBook` is the book before the
   * first event; its interval is 0 and it needs a mid. A later book with no
   * orders keeps the last known mid.
   */
  encode(initialBook: Depth, rows: readonly OrderFlowRow[]): TokenizedRow[] {
    const initialMid = midPriceTicks(initialBook);
    if (initialMid === undefined) {
      throw new RangeError("Cannot tokenize: the initial book is empty, so it has no mid price");
    }
    let mid = initialMid;
    let previousTimestampNs = rows[0]?.timestampNs ?? 0;
    return rows.map((row, index) => {
      if (row.timestampNs < previousTimestampNs) {
        throw new RangeError(
          `Cannot tokenize event ${index}: timestamp ${row.timestampNs} ns is before the previous ${previousTimestampNs} ns`,
        );
      }
      const tokens = this.tokensOf(row, mid, row.timestampNs - previousTimestampNs);
      const midAfter = midPriceTicks(row.bookAfter) ?? mid;
      const range = this.config.midDeltaRangeTicks;
      const midDelta = Math.max(-range, Math.min(range, Math.trunc(midAfter - mid)));
      mid = midAfter;
      previousTimestampNs = row.timestampNs;
      return {
        tokens,
        midDeltaId: midDelta + range,
        condition: this.conditionOf(row.bookAfter, row.timestampNs),
      };
    });
  }

  /** The five tokens of one event, given the mid before it and the time since the previous event. */
  tokensOf(order: OrderFlowOrder, midTicks: number, intervalNs: number): OrderTokens {
    if (!(Number.isInteger(order.quantityLots) && order.quantityLots > 0)) {
      throw new RangeError(
        `Cannot tokenize quantity ${order.quantityLots}: it must be a positive number of lots`,
      );
    }
    if (!(Number.isInteger(order.type) && order.type >= 0 && order.type < ORDER_TYPE_COUNT)) {
      throw new RangeError(
        `Cannot tokenize order type ${order.type}: types are 0..${ORDER_TYPE_COUNT - 1}`,
      );
    }
    const units = Math.floor(order.quantityLots / this.#lotsPerUnit);
    const fraction = (order.quantityLots % this.#lotsPerUnit) / this.#lotsPerUnit;
    return {
      type: order.type,
      price: this.#price.binOf(Math.floor(order.priceTicks - midTicks)),
      volumeInt: this.#volumeInt.binOf(units),
      volumeDec: Math.floor(fraction * this.config.volumeDecBins),
      interval: this.#interval.binOf(intervalNs),
    };
  }

  /**
   * FiLM conditioning of a book at a time: log(1 + volume units) of the
   * `lobLevels` best asks then bids (0 where a level is missing), scaled so
   * that `volumeIntMax` units give 1, then sin and cos of the time-of-day bin.
   */
  conditionOf(book: Depth, timestampNs: number): Float32Array {
    const { lobLevels, volumeIntMax, timeOfDayBinS } = this.config;
    const condition = new Float32Array(conditionSize(this.config));
    const scale = 1 / Math.log1p(volumeIntMax);
    for (let level = 0; level < lobLevels; level++) {
      const ask = book.asks[level]?.quantityLots ?? 0;
      const bid = book.bids[level]?.quantityLots ?? 0;
      condition[level] = Math.log1p(ask / this.#lotsPerUnit) * scale;
      condition[lobLevels + level] = Math.log1p(bid / this.#lotsPerUnit) * scale;
    }
    const secondOfDay = Math.floor(timestampNs / NS_PER_S) % SECONDS_PER_DAY;
    const phase = (2 * Math.PI * Math.floor(secondOfDay / timeOfDayBinS) * timeOfDayBinS) /
      SECONDS_PER_DAY;
    condition[2 * lobLevels] = Math.sin(phase);
    condition[2 * lobLevels + 1] = Math.cos(phase);
    return condition;
  }

  /**
   * Turns predicted tokens into an order: the price, volume and interval are
   * drawn uniformly from the integers of their bins (MarS samples within the
   * chosen bin too), relative to the mid of `context.book`. A price below one
   * tick is raised to one tick, and a zero volume to one lot.
   */
  decode(tokens: OrderTokens, context: DecodeContext, random: SeededRandom): OrderFlowOrder {
    const mid = midPriceTicks(context.book);
    if (mid === undefined) {
      throw new RangeError("Cannot decode an order: the book is empty, so it has no mid price");
    }
    const sizes = fieldSizes(this.config);
    for (const field of FIELDS) {
      const token = tokens[field];
      if (!(Number.isInteger(token) && token >= 0 && token < sizes[field])) {
        throw new RangeError(
          `Cannot decode ${field} token ${token}: tokens are 0..${sizes[field] - 1}`,
        );
      }
    }
    const decBins = this.config.volumeDecBins;
    const offset = this.#price.sample(tokens.price, random);
    const units = this.#volumeInt.sample(tokens.volumeInt, random);
    const fractionLots = random.integer(
      Math.ceil((tokens.volumeDec * this.#lotsPerUnit) / decBins),
      Math.ceil(((tokens.volumeDec + 1) * this.#lotsPerUnit) / decBins),
    );
    return {
      type: tokens.type as OrderType,
      timestampNs: context.previousTimestampNs + this.#interval.sample(tokens.interval, random),
      // floor(price − mid) = offset  ⇔  price = ceil(mid + offset) for an integer price.
      priceTicks: Math.max(1, Math.ceil(mid + offset)),
      quantityLots: Math.max(1, units * this.#lotsPerUnit + fractionLots),
    };
  }
}
