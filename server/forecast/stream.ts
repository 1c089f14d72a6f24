/**
 * A forecast stream: a series of closed candles the forecast pool asks
 * miners to predict (shared/reference/tsps.md §2). Simulated books
 * (book_stream.ts), a Binance-style kline REST source with fallbacks
 * (kline_rest_stream.ts) and a CSV or parquet file of klines
 * (kline_csv.ts's CsvKlineStream, read by kline_file.ts) all look the same
 * to the pool.
 *
 * A stream has its own clock: the close time of its latest closed candle.
 * For a simulated book that is simulated time; for real klines, wall time.
 *
 * @module
 */
import type { Candle } from "@/engine/forecast/candles.ts";

export interface ForecastStream {
  /** Stable name, e.g. "book-0-5m" or "BTCUSD-5m". */
  readonly id: string;
  /** Candle length, ms (TSPS: 5 minutes). */
  readonly intervalMs: number;
  /** Close time of the latest closed candle (ms on the stream's clock); null before the first. */
  latestCloseTime(): Promise<number | null>;
  /** Closed candles with `afterMs < closeTime ≤ throughMs`, oldest first. */
  candles(afterMs: number, throughMs: number): Promise<Candle[]>;
}

/**
 * Merges the same candles from several sources, as TSPS v6's feature
 * aggregator does (tsps.md §2.1): per close time, open and close are the
 * mean of the sources that have it, high the max, low the min, volume the
 * sum. Candles only some sources have are kept (any subset answers).
 */
export function mergeCandles(sources: readonly (readonly Candle[])[]): Candle[] {
  const byTime = new Map<number, Candle[]>();
  for (const candles of sources) {
    for (const candle of candles) {
      const list = byTime.get(candle.closeTime) ?? [];
      list.push(candle);
      byTime.set(candle.closeTime, list);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([closeTime, list]) => ({
    closeTime,
    open: mean(list.map((c) => c.open)),
    high: Math.max(...list.map((c) => c.high)),
    low: Math.min(...list.map((c) => c.low)),
    close: mean(list.map((c) => c.close)),
    volume: list.reduce((sum, c) => sum + c.volume, 0),
  }));
}

/** Throws naming the field when a candle holds a non-finite number (TSPS v6 raised on NaN/inf). */
export function checkCandle(candle: Candle, where: string): Candle {
  for (const field of ["closeTime", "open", "high", "low", "close", "volume"] as const) {
    if (!Number.isFinite(candle[field])) {
      throw new RangeError(`Invalid candle in ${where}: ${field} is ${candle[field]}`);
    }
  }
  return candle;
}
