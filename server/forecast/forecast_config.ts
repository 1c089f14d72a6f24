/**
 * The forecast pool's settings (server/config.ts declares the flags and
 * calls forecastSettings). Bad values fail naming the flag and its limits.
 *
 * - `--forecast-books 0,1` (env MARKETFORGE_FORECAST_BOOKS): simulated books
 *   to forecast; "none" for none; default "0".
 * - `--forecast-kline-urls https://api.binance.com,…` (env
 *   MARKETFORGE_FORECAST_KLINE_URLS): opt-in live BTC/USDT 5m klines,
 *   averaged across the sources that answer; default none.
 * - `--forecast-klines path` (env MARKETFORGE_FORECAST_KLINES): a kline
 *   CSV or parquet file replayed on simulated time (TSPS's
 *   test-only-historical; server/forecast/kline_file.ts).
 * - `--forecast-cadence-seconds` (default 1800, TSPS's 30 minutes, on each
 *   stream's clock), `--forecast-interval-seconds` (book candles, 300),
 *   `--forecast-horizon` (100), `--demo-forecasters` (forecast-only demo
 *   miners beside the demo miners, which forecast anyway; default 0).
 * - `--forecast-scoring skill|tsps` (env MARKETFORGE_FORECAST_SCORING): what
 *   a scored request pays, skill against naive (default) or TSPS's min–max
 *   normalised shares (server/forecast/forecast_pool.ts).
 *
 * @module
 */
import { FORECAST_SCORINGS, type ForecastScoring } from "@/server/forecast/forecast_pool.ts";

export interface ForecastSettings {
  books: number[];
  klineUrls: string[];
  klineFile: string | undefined;
  cadenceSeconds: number;
  intervalSeconds: number;
  horizon: number;
  demoForecasters: number;
  scoring: ForecastScoring;
}

/** parseArgs options of the forecast flags. */
export const FORECAST_FLAGS = {
  "forecast-books": { type: "string" },
  "forecast-kline-urls": { type: "string" },
  "forecast-klines": { type: "string" },
  "forecast-cadence-seconds": { type: "string" },
  "forecast-interval-seconds": { type: "string" },
  "forecast-horizon": { type: "string" },
  "demo-forecasters": { type: "string" },
  "forecast-scoring": { type: "string" },
} as const;

type Values = Partial<Record<keyof typeof FORECAST_FLAGS, string>>;

const envName = (flag: string) => `MARKETFORGE_${flag.toUpperCase().replaceAll("-", "_")}`;

/** Reads the forecast settings from parsed flag values and the environment. */
export function forecastSettings(
  values: Values,
  env: (name: string) => string | undefined,
  bookCount: number,
): ForecastSettings {
  const raw = (flag: keyof typeof FORECAST_FLAGS) => {
    const fromFlag = values[flag];
    return {
      value: fromFlag ?? env(envName(flag)),
      source: fromFlag === undefined ? envName(flag) : `--${flag}`,
    };
  };
  const integer = (
    flag: keyof typeof FORECAST_FLAGS,
    fallback: number,
    min: number,
    max: number,
  ) => {
    const { value, source } = raw(flag);
    if (value === undefined || value === "") return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new RangeError(
        `Invalid ${source} "${value}": must be an integer from ${min} to ${max}`,
      );
    }
    return number;
  };
  const books = raw("forecast-books");
  const bookList = (books.value ?? "0").trim();
  const bookIds = bookList === "none" || bookList === "" ? [] : bookList.split(",").map((part) => {
    const id = Number(part.trim());
    if (!Number.isInteger(id) || id < 0 || id >= bookCount) {
      throw new RangeError(
        `Invalid ${books.source} "${bookList}": book ids must be integers from 0 to ${
          bookCount - 1
        }, or "none"`,
      );
    }
    return id;
  });
  const urls = raw("forecast-kline-urls");
  const klineUrls = (urls.value ?? "").split(",").map((url) => url.trim()).filter((url) =>
    url !== ""
  );
  for (const url of klineUrls) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
      throw new RangeError(`Invalid ${urls.source} "${url}": must be an http:// or https:// URL`);
    }
  }
  const intervalSeconds = integer("forecast-interval-seconds", 300, 1, 86_400);
  const cadenceSeconds = integer("forecast-cadence-seconds", 1800, 1, 7 * 86_400);
  if (
    cadenceSeconds % intervalSeconds !== 0 || (klineUrls.length > 0 && cadenceSeconds % 300 !== 0)
  ) {
    throw new RangeError(
      `Invalid --forecast-cadence-seconds ${cadenceSeconds}: must be a multiple of the candle interval (${intervalSeconds} s; 300 s for klines)`,
    );
  }
  const scoring = raw("forecast-scoring");
  const scoringName = scoring.value || FORECAST_SCORINGS[0];
  if (!(FORECAST_SCORINGS as readonly string[]).includes(scoringName)) {
    throw new RangeError(
      `Invalid ${scoring.source} "${scoringName}": must be one of ${FORECAST_SCORINGS.join(", ")}`,
    );
  }
  return {
    books: [...new Set(bookIds)],
    klineUrls,
    klineFile: raw("forecast-klines").value || undefined,
    cadenceSeconds,
    intervalSeconds,
    horizon: integer("forecast-horizon", 100, 2, 1000),
    demoForecasters: integer("demo-forecasters", 0, 0, 8),
    scoring: scoringName as ForecastScoring,
  };
}
