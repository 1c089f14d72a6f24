/**
 * Historical klines from a CSV file, in Binance's dump layout
 * (data.binance.vision: open_time, open, high, low, close, volume,
 * close_time, …; a header row is optional) — TSPS's historical data
 * (tsps.md §2.2, §5 `--test_only_historical`) as a stream.
 *
 * @module
 */
import type { Candle } from "@/engine/forecast/candles.ts";
import { candlesFromKlineRows } from "@/server/forecast/kline_rows.ts";
import type { ForecastStream } from "@/server/forecast/stream.ts";

/**
 * Parses kline CSV text into candles sorted by close time. Throws naming
 * the line and field of the first bad value; needs at least 2 rows.
 */
export function parseKlineCsv(text: string, intervalMs?: number): Candle[] {
  const rows = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  if (rows.length > 0 && !/^\d/.test(rows[0])) rows.shift();
  const parsed = rows.map((line, index) => {
    const cells = line.split(",");
    if (cells.length < 6) {
      throw new RangeError(
        `Invalid kline CSV line ${index + 1}: ${cells.length} fields, at least 6 needed`,
      );
    }
    const number = (i: number, field: string) => {
      const value = Number(cells[i]);
      if (cells[i].trim() === "" || !Number.isFinite(value)) {
        throw new RangeError(`Invalid kline CSV line ${index + 1}: ${field} "${cells[i]}"`);
      }
      return value;
    };
    return {
      openTime: number(0, "open_time"),
      open: number(1, "open"),
      high: number(2, "high"),
      low: number(3, "low"),
      close: number(4, "close"),
      volume: number(5, "volume"),
    };
  });
  return candlesFromKlineRows(parsed, "kline CSV", intervalMs);
}

/** Serialises candles in the same layout (close_time = next open − 1 ms, as Binance writes it). */
export function formatKlineCsv(candles: readonly Candle[], intervalMs: number): string {
  const lines = candles.map((c) =>
    [c.closeTime - intervalMs, c.open, c.high, c.low, c.close, c.volume, c.closeTime - 1].join(",")
  );
  return `open_time,open,high,low,close,volume,close_time\n${lines.join("\n")}\n`;
}

export interface CsvKlineStreamOptions {
  id?: string;
  /** The stream's clock, ms; candles closing after it are not out yet. Default: all are. */
  now?: () => number;
}

/** A stream over a fixed set of klines (a CSV file's), released as its clock passes them. */
export class CsvKlineStream implements ForecastStream {
  readonly id: string;
  readonly intervalMs: number;
  readonly #candles: readonly Candle[];
  readonly #now: () => number;

  constructor(candles: readonly Candle[], options: CsvKlineStreamOptions = {}) {
    if (candles.length < 2) {
      throw new RangeError(`Invalid kline stream: ${candles.length} candles, at least 2 needed`);
    }
    this.#candles = candles;
    this.intervalMs = candles[1].closeTime - candles[0].closeTime;
    this.id = options.id ?? `csv-${this.intervalMs / 60_000}m`;
    this.#now = options.now ?? (() => Infinity);
  }

  /** Reads and parses a CSV file. */
  static async open(path: string, options: CsvKlineStreamOptions = {}): Promise<CsvKlineStream> {
    return new CsvKlineStream(parseKlineCsv(await Deno.readTextFile(path)), options);
  }

  /** Every candle, released or not (for backtests). */
  get all(): readonly Candle[] {
    return this.#candles;
  }

  latestCloseTime(): Promise<number | null> {
    const now = this.#now();
    let latest: number | null = null;
    for (const candle of this.#candles) {
      if (candle.closeTime > now) break;
      latest = candle.closeTime;
    }
    return Promise.resolve(latest);
  }

  candles(afterMs: number, throughMs: number): Promise<Candle[]> {
    const until = Math.min(throughMs, this.#now());
    return Promise.resolve(
      this.#candles.filter((c) => c.closeTime > afterMs && c.closeTime <= until),
    );
  }
}
