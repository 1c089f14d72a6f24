/**
 * Reads a historical kline file by its extension: `.parquet` (kline_parquet.ts)
 * or CSV in Binance's dump layout (kline_csv.ts, any other name).
 *
 * @module
 */
import type { Candle } from "@/engine/forecast/candles.ts";
import { parseKlineCsv } from "@/server/forecast/kline_csv.ts";
import { parseKlineParquet } from "@/server/forecast/kline_parquet.ts";

export async function readKlineFile(path: string): Promise<Candle[]> {
  if (path.toLowerCase().endsWith(".parquet")) {
    const bytes = await Deno.readFile(path);
    return await parseKlineParquet(bytes.buffer as ArrayBuffer);
  }
  return parseKlineCsv(await Deno.readTextFile(path));
}
