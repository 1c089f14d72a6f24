/**
 * The forecast pool's messages on the miner session (TSPS's LiveForwardHash,
 * LiveForward and LiveBackward, shared/reference/tsps.md §1.1, §1.4, as
 * frames on the existing gateway WebSocket, engine/gateway/frames.ts):
 *
 * 1. validator → miner `forecast` (id, stream, horizon, recent candles);
 *    the miner answers a signed response body `{ forecast: id, commitment }`,
 *    commitment = SHA-256 of its hotkey and predictions (commit_reveal.ts);
 * 2. validator → miner `reveal` (id) once commitments are in; the miner
 *    answers `{ forecast: id, predictions }`, which must match its hash;
 * 3. validator → miner `outcome` (id, the realised closes) after scoring.
 *
 * @module
 */
import type { Candle } from "@/engine/forecast/candles.ts";
import type { ForecastRequestFrame } from "@/engine/gateway/frames.ts";
import { PROTOCOL_VERSION } from "@/engine/gateway/frames.ts";

/** Longest forecast id accepted. */
const MAX_ID_LENGTH = 128;
/** Most closes a forecast may hold. */
export const MAX_FORECAST_HORIZON = 1000;

/** Most candles one `history` frame carries (TSPS's 25–30-day window is ≤ 8,640). */
export const MAX_HISTORY_CANDLES = 10_000;

/** A miner's request for training data: candles of `stream` closing after `after` (ms). */
export interface HistoryAsk {
  history: string;
  after: number;
}

/**
 * Reads a decoded response body as a history request; null when it is not
 * one. Throws a RangeError naming the field when malformed.
 */
export function readHistoryAsk(body: unknown): HistoryAsk | null {
  if (typeof body !== "object" || body === null || !("history" in body)) return null;
  const { history, after } = body as Record<string, unknown>;
  if (typeof history !== "string" || history.length === 0 || history.length > MAX_ID_LENGTH) {
    throw new RangeError(
      `Invalid history: must be a stream name of 1 to ${MAX_ID_LENGTH} characters`,
    );
  }
  if (typeof after !== "number" || !Number.isFinite(after)) {
    throw new RangeError("Invalid after: must be a time in ms");
  }
  return { history, after };
}

/** Candles as the parallel columns frames carry. */
export function candleColumns(candles: readonly Candle[]): ForecastRequestFrame["history"] {
  return {
    closeTime: candles.map((c) => c.closeTime),
    open: candles.map((c) => c.open),
    high: candles.map((c) => c.high),
    low: candles.map((c) => c.low),
    close: candles.map((c) => c.close),
    volume: candles.map((c) => c.volume),
  };
}

/** A miner's answer to `forecast` or `reveal`. */
export type ForecastAnswer =
  | { forecast: string; commitment: string }
  | { forecast: string; predictions: number[] };

/** The request frame for `history` (oldest first). */
export function forecastRequestFrame(
  id: string,
  stream: string,
  intervalMs: number,
  horizon: number,
  history: readonly Candle[],
): ForecastRequestFrame {
  return {
    t: "forecast",
    v: PROTOCOL_VERSION,
    id,
    stream,
    intervalMs,
    horizon,
    history: candleColumns(history),
  };
}

/** The candles of a request or history frame. */
export function historyCandles(frame: Pick<ForecastRequestFrame, "history">): Candle[] {
  const { closeTime, open, high, low, close, volume } = frame.history;
  return closeTime.map((time, i) => ({
    closeTime: time,
    open: open[i],
    high: high[i],
    low: low[i],
    close: close[i],
    volume: volume[i],
  }));
}

/**
 * Reads a decoded response body as a forecast answer; null when it is not
 * one (a trading response). Throws a RangeError naming the field for a
 * malformed forecast answer.
 */
export function readForecastAnswer(body: unknown): ForecastAnswer | null {
  if (typeof body !== "object" || body === null || !("forecast" in body)) return null;
  const record = body as Record<string, unknown>;
  const id = record.forecast;
  if (typeof id !== "string" || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new RangeError(`Invalid forecast: must be an id of 1 to ${MAX_ID_LENGTH} characters`);
  }
  if ("commitment" in record) {
    const commitment = record.commitment;
    if (typeof commitment !== "string" || !/^[0-9a-fA-F]{64}$/.test(commitment)) {
      throw new RangeError("Invalid commitment: must be 64 hex digits (SHA-256)");
    }
    return { forecast: id, commitment: commitment.toLowerCase() };
  }
  const predictions = record.predictions;
  if (!Array.isArray(predictions) || predictions.length > MAX_FORECAST_HORIZON) {
    throw new RangeError(
      `Invalid predictions: must be an array of at most ${MAX_FORECAST_HORIZON} numbers`,
    );
  }
  return { forecast: id, predictions: predictions as number[] };
}
