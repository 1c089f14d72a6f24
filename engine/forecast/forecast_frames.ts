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
    history: {
      closeTime: history.map((c) => c.closeTime),
      open: history.map((c) => c.open),
      high: history.map((c) => c.high),
      low: history.map((c) => c.low),
      close: history.map((c) => c.close),
      volume: history.map((c) => c.volume),
    },
  };
}

/** The candles of a request frame. */
export function historyCandles(frame: ForecastRequestFrame): Candle[] {
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
