/**
 * What a forecast agent is asked (TSPS LiveForward, shared/reference/tsps.md
 * §1.1–1.2): the next `horizon` closes of a stream, given its recent
 * candles. The answer is `horizon` finite numbers, the closes of the
 * candles that close at `history.at(-1).closeTime + k · intervalMs`,
 * k = 1 … horizon.
 *
 * @module
 */
import type { Candle } from "@/engine/forecast/candles.ts";
import type { SimulationConfig } from "@/engine/protocol/state_update.ts";

/** TSPS prediction_size: 100 closes (8 h 20 min of 5-minute candles). */
export const FORECAST_HORIZON = 100;

export interface ForecastRequest {
  /** The stream's name, e.g. "book-0-5m" or "BTCUSDT-5m". */
  stream: string;
  /** Candle length, ms. */
  intervalMs: number;
  /** Closes wanted. */
  horizon: number;
  /** Recent closed candles, oldest first; at least one. */
  history: readonly Candle[];
}

/**
 * The config a forecast-only agent is started with (backtests and forecast
 * miners that do not trade): τaos's defaults with no books.
 */
export const FORECAST_ONLY_CONFIG: SimulationConfig = {
  priceDecimals: 2,
  volumeDecimals: 4,
  baseDecimals: 4,
  quoteDecimals: 10,
  fee_policy: { fee_type: "dynamic", params: { makerFee: 0, takerFee: 0.00023 } },
  min_order_size: 0.25,
  max_open_orders: 100,
  max_leverage: 4,
  max_loan: 10_000,
  maintenance_margin: 0.1,
  miner_wealth: 50_000,
  publish_interval: 1_000_000_000,
  grace_period: 0,
  duration: 0,
  book_count: 0,
  book_levels: 21,
  detailed_book_levels: 5,
};

/**
 * Checks an agent's answer: exactly `horizon` finite numbers. Returns
 * them as a plain array; throws a RangeError naming the problem.
 */
export function checkForecast(values: unknown, horizon: number): number[] {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new RangeError("Invalid forecast: must be an array of numbers");
  }
  const list = Array.from(values as ArrayLike<unknown>);
  if (list.length !== horizon) {
    throw new RangeError(`Invalid forecast: ${list.length} values, expected ${horizon}`);
  }
  list.forEach((value, i) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`Invalid forecast: value ${i} is ${String(value)}, not a finite number`);
    }
  });
  return list as number[];
}
