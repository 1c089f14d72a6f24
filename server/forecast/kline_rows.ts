/**
 * Kline rows as any file holds them (open time first, Binance's layout) to
 * candles: the shared half of the CSV and parquet readers. Open times in
 * microseconds (Binance's dumps from 2025) are read as such, and a candle is
 * stamped with its close time = open time + interval, as
 * engine/forecast/candles.ts stamps simulated ones.
 *
 * @module
 */
import type { Candle } from "@/engine/forecast/candles.ts";
import { checkCandle } from "@/server/forecast/stream.ts";

/** Open times above this are microseconds (1e14 ms is the year 5138). */
const MICROSECOND_THRESHOLD = 1e14;

export interface KlineRow {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Candles sorted by close time from `rows` of the file named by `source`
 * (for messages). The interval is the gap between the first two open times
 * unless given; needs at least 2 rows.
 */
export function candlesFromKlineRows(
  rows: readonly KlineRow[],
  source: string,
  intervalMs?: number,
): Candle[] {
  const sorted = rows.map((row) => ({
    ...row,
    openTime: row.openTime > MICROSECOND_THRESHOLD ? Math.floor(row.openTime / 1000) : row.openTime,
  })).sort((a, b) => a.openTime - b.openTime);
  if (sorted.length < 2) {
    throw new RangeError(`Invalid ${source}: ${sorted.length} rows, at least 2 needed`);
  }
  const interval = intervalMs ?? sorted[1].openTime - sorted[0].openTime;
  if (!(interval > 0)) {
    throw new RangeError(
      `Invalid ${source}: rows 1 and 2 share the open time ${sorted[0].openTime}`,
    );
  }
  return sorted.map(({ openTime, ...rest }, index) =>
    checkCandle({ closeTime: openTime + interval, ...rest }, `${source} row ${index + 1}`)
  );
}
