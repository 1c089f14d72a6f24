/**
 * The miner side of the forecast pool, for a headless miner or a browser
 * tab: answers `forecast` frames with a commitment to the agent's forecast,
 * `reveal` frames with the forecast itself, and hands `outcome` frames (the
 * realised closes) to a callback. Forecasts are cached per request id until
 * revealed, so the reveal is exactly what was hashed (TSPS `sent_preds`,
 * tsps.md §1.4).
 *
 * @module
 */
import { encode } from "@msgpack/msgpack";
import type { Agent } from "@/engine/agent/agent.ts";
import { forecastCommitment } from "@/engine/forecast/commit_reveal.ts";
import type { Candle } from "@/engine/forecast/candles.ts";
import { historyCandles } from "@/engine/forecast/forecast_frames.ts";
import { checkForecast } from "@/engine/forecast/forecast_request.ts";
import type { ForecastRequestFrame, ServerFrame } from "@/engine/gateway/frames.ts";

/** What the responder needs of engine/gateway/miner_client.ts's MinerClient. */
export interface ForecastConnection {
  readonly hotkey: string;
  send(body: Uint8Array): Promise<number>;
  onFrame(listener: (frame: ServerFrame) => void): () => void;
}

export interface ForecastResponderOptions {
  /** Called with each forecast once its commitment is sent. */
  onCommitted?: (request: ForecastRequestFrame, predictions: number[]) => void;
  /** Called with each realised series the validator sends back. */
  onOutcome?: (id: string, closes: number[]) => void;
  log?: (line: string) => void;
}

/** Unrevealed forecasts kept at most (older ones are dropped). */
const MAX_CACHED = 64;

/** Answers forecast frames on `connection` with `agent`; returns the stop function. */
export function answerForecasts(
  connection: ForecastConnection,
  agent: Agent,
  options: ForecastResponderOptions = {},
): () => void {
  const sent = new Map<string, number[]>();
  const log = options.log ?? (() => {});
  const reply = (body: unknown, what: string) =>
    connection.send(encode(body)).catch((error) => log(`${what} refused: ${error.message}`));
  return connection.onFrame(async (frame) => {
    if (frame.t === "forecast" && agent.forecast) {
      try {
        const predictions = checkForecast(
          await agent.forecast({
            stream: frame.stream,
            intervalMs: frame.intervalMs,
            horizon: frame.horizon,
            history: historyCandles(frame),
          }),
          frame.horizon,
        );
        sent.set(frame.id, predictions);
        if (sent.size > MAX_CACHED) sent.delete(sent.keys().next().value!);
        const commitment = await forecastCommitment(connection.hotkey, predictions);
        if (
          await reply({ forecast: frame.id, commitment }, `Commitment ${frame.id}`) !== undefined
        ) {
          options.onCommitted?.(frame, predictions);
        }
      } catch (error) {
        log(`Forecast ${frame.id} failed: ${(error as Error).message}`);
      }
    } else if (frame.t === "reveal") {
      const predictions = sent.get(frame.id);
      if (predictions === undefined) return;
      sent.delete(frame.id);
      await reply({ forecast: frame.id, predictions }, `Reveal ${frame.id}`);
    } else if (frame.t === "outcome") {
      options.onOutcome?.(frame.id, frame.closes);
    }
  });
}

/**
 * Asks the validator for training data (TSPS's TrainingForward, which here
 * actually runs): the candles of `stream` that closed after `after` ms, at
 * most MAX_HISTORY_CANDLES. Rejects after `timeoutMs` without an answer.
 */
export function requestHistory(
  connection: ForecastConnection,
  stream: string,
  after: number,
  timeoutMs = 10_000,
): Promise<Candle[]> {
  const { promise, resolve, reject } = Promise.withResolvers<Candle[]>();
  const timer = setTimeout(() => {
    stop();
    reject(new Error(`No history of ${stream} within ${timeoutMs} ms`));
  }, timeoutMs);
  const stop = connection.onFrame((frame) => {
    if (frame.t !== "history" || frame.stream !== stream) return;
    clearTimeout(timer);
    stop();
    resolve(historyCandles(frame));
  });
  connection.send(encode({ history: stream, after })).catch((error) => {
    clearTimeout(timer);
    stop();
    reject(error);
  });
  return promise;
}
