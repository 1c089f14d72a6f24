/**
 * Candles of a price stream (TSPS uses 5-minute BTC/USD closes,
 * shared/reference/tsps.md §1.2): each candle is stamped with its close
 * time, and an interval without trades repeats the last close with zero
 * volume so the series has no holes.
 *
 * @module
 */

/** The TSPS timeframe: 5 minutes. */
export const FIVE_MINUTES_MS = 5 * 60 * 1000;

export interface Candle {
  /** End of the interval (exclusive), Unix ms. */
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface Print {
  /** Unix ms (or simulated ms). */
  time: number;
  price: number;
  quantity: number;
}

/**
 * Builds the candles covering `[fromMs, toMs)` from prints sorted by time.
 * Intervals before the first print are skipped (there is no price yet).
 */
export function buildCandles(
  prints: readonly Print[],
  fromMs: number,
  toMs: number,
  intervalMs = FIVE_MINUTES_MS,
): Candle[] {
  const candles: Candle[] = [];
  let index = 0;
  let lastClose: number | null = null;
  for (let start = fromMs; start + intervalMs <= toMs; start += intervalMs) {
    const end = start + intervalMs;
    while (index < prints.length && prints[index].time < start) lastClose = prints[index++].price;
    let candle: Candle | null = null;
    for (; index < prints.length && prints[index].time < end; index++) {
      const { price, quantity } = prints[index];
      candle ??= { closeTime: end, open: price, high: price, low: price, close: price, volume: 0 };
      candle.high = Math.max(candle.high, price);
      candle.low = Math.min(candle.low, price);
      candle.close = price;
      candle.volume += quantity;
    }
    if (candle === null && lastClose !== null) {
      candle = {
        closeTime: end,
        open: lastClose,
        high: lastClose,
        low: lastClose,
        close: lastClose,
        volume: 0,
      };
    }
    if (candle !== null) {
      candles.push(candle);
      lastClose = candle.close;
    }
  }
  return candles;
}
