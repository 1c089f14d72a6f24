/**
 * Historical klines from a parquet file (columns open_time, open, high, low,
 * close, volume, as Binance's CSV dumps name them; other columns are
 * ignored), read with `hyparquet` — the compact, typed form most market-data
 * archives ship, and the one this project already reads for GenTRX pages.
 *
 * @module
 */
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import type { Candle } from "@/engine/forecast/candles.ts";
import { candlesFromKlineRows } from "@/server/forecast/kline_rows.ts";

const COLUMNS = ["open_time", "open", "high", "low", "close", "volume"] as const;

/**
 * Parses a kline parquet file into candles sorted by close time. Throws
 * naming a missing column, or the row and column of the first bad value.
 */
export async function parseKlineParquet(file: ArrayBuffer, intervalMs?: number): Promise<Candle[]> {
  let columns: string[];
  try {
    columns = parquetSchema(parquetMetadata(file)).children.map((child) => child.element.name);
  } catch (error) {
    throw new RangeError(`Invalid kline parquet: ${(error as Error).message}`);
  }
  for (const name of COLUMNS) {
    if (!columns.includes(name)) {
      throw new RangeError(
        `Invalid kline parquet: no "${name}" column (has ${columns.join(", ")})`,
      );
    }
  }
  const records = await parquetReadObjects({ file, columns: [...COLUMNS] });
  const rows = records.map((record, index) => {
    const number = (field: (typeof COLUMNS)[number]) => {
      const value = Number(record[field]);
      if (record[field] === null || record[field] === undefined || !Number.isFinite(value)) {
        throw new RangeError(`Invalid kline parquet row ${index + 1}: ${field} "${record[field]}"`);
      }
      return value;
    };
    return {
      openTime: number("open_time"),
      open: number("open"),
      high: number("high"),
      low: number("low"),
      close: number("close"),
      volume: number("volume"),
    };
  });
  return candlesFromKlineRows(rows, "kline parquet", intervalMs);
}
