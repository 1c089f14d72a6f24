/**
 * Stand-ins for the forecast pool's tests (server/forecast/
 * forecast_pool_test.ts, server/scoring/forecast_ledger_weights_test.ts):
 * an in-process gateway whose miners commit and reveal through the real
 * frames and hashes, a seeded trending candle series, and a stream whose
 * source can be made to fail. The end-to-end test with real WebSockets is
 * tests/forecast_round_e2e_test.ts.
 */
import { encode } from "@msgpack/msgpack";
import type { Candle } from "@/engine/forecast/candles.ts";
import { forecastCommitment } from "@/engine/forecast/commit_reveal.ts";
import type { ForecastRequestFrame, ServerFrame } from "@/engine/gateway/frames.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import type { ForecastGateway } from "@/server/forecast/forecast_pool.ts";
import type { ForecastStream } from "@/server/forecast/stream.ts";
import type { Session } from "@/server/gateway/session_registry.ts";

/** A miner of the fake gateway: its forecast for a request, or null to stay silent. */
export interface FakeForecaster {
  hotkey: string;
  uid: number;
  forecast: (request: ForecastRequestFrame) => number[] | null;
}

/** Candle length of the fakes, ms (TSPS's 5 minutes). */
export const FAKE_INTERVAL_MS = 5 * 60_000;

/**
 * A gateway with in-process miners: each commits to its forecast (SHA-256
 * of hotkey and closes, as real miners do) and reveals it when asked.
 */
export class FakeForecastGateway implements ForecastGateway {
  readonly sessions: Session[];
  /** Realised closes each hotkey was sent (TSPS's LiveBackward). */
  readonly outcomes = new Map<string, number[][]>();
  readonly #miners: Map<string, FakeForecaster>;
  readonly #listeners = new Set<(session: Session, body: Uint8Array) => void>();
  readonly #committed = new Map<string, number[]>();

  constructor(miners: readonly FakeForecaster[]) {
    this.#miners = new Map(miners.map((miner) => [miner.hotkey, miner]));
    this.sessions = miners.map(({ hotkey, uid }) => ({ hotkey, uid }) as Session);
  }

  publish(frameFor: (session: Session) => ServerFrame | null): void {
    for (const session of this.sessions) {
      const frame = frameFor(session);
      if (frame !== null) void this.#answer(session, frame);
    }
  }

  onResponse(listener: (session: Session, body: Uint8Array) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #answer(session: Session, frame: ServerFrame): Promise<void> {
    await Promise.resolve(); // answer after publish() returns, as a network would
    const key = (id: string) => `${session.hotkey} ${id}`;
    if (frame.t === "forecast") {
      const predictions = this.#miners.get(session.hotkey)!.forecast(frame);
      if (predictions === null) return;
      this.#committed.set(key(frame.id), predictions);
      const commitment = await forecastCommitment(session.hotkey, predictions);
      this.#send(session, { forecast: frame.id, commitment });
    } else if (frame.t === "reveal") {
      const predictions = this.#committed.get(key(frame.id));
      if (predictions !== undefined) this.#send(session, { forecast: frame.id, predictions });
    } else if (frame.t === "outcome") {
      const list = this.outcomes.get(session.hotkey) ?? [];
      list.push(frame.closes);
      this.outcomes.set(session.hotkey, list);
    }
  }

  #send(session: Session, body: unknown): void {
    const bytes = encode(body);
    for (const listener of [...this.#listeners]) listener(session, bytes);
  }
}

/** Per-candle drift of trendingCandles, price units. */
export const FAKE_DRIFT = 0.05;

/**
 * `count` seeded 5-minute candles from close time `FAKE_INTERVAL_MS`: a
 * random walk from 300 with drift FAKE_DRIFT and step std 0.3, so a
 * forecaster that follows the drift beats naive.
 */
export function trendingCandles(count: number, seed: number): Candle[] {
  const random = new SeededRandom(seed);
  const candles: Candle[] = [];
  let close = 300;
  for (let i = 1; i <= count; i++) {
    const open = close;
    close = open + FAKE_DRIFT + 0.3 * random.normal();
    candles.push({
      closeTime: i * FAKE_INTERVAL_MS,
      open,
      high: Math.max(open, close) + 0.1,
      low: Math.min(open, close) - 0.1,
      close,
      volume: 1,
    });
  }
  return candles;
}

/** The last close of a request frame's history. */
export function lastCloseOf(request: ForecastRequestFrame): number {
  return request.history.close[request.history.close.length - 1];
}

/** Last close plus `drift` per step: `drift` FAKE_DRIFT follows the trend, 0 is naive. */
export function driftForecast(request: ForecastRequestFrame, drift: number): number[] {
  const last = lastCloseOf(request);
  return Array.from({ length: request.horizon }, (_, i) => last + drift * (i + 1));
}

/** Wraps a stream; while `failing`, every call rejects like a source that is down. */
export class FlakyStream implements ForecastStream {
  failing = false;
  calls = 0;
  readonly #inner: ForecastStream;

  constructor(inner: ForecastStream) {
    this.#inner = inner;
  }

  get id(): string {
    return this.#inner.id;
  }

  get intervalMs(): number {
    return this.#inner.intervalMs;
  }

  latestCloseTime(): Promise<number | null> {
    this.calls++;
    return this.failing ? this.#down() : this.#inner.latestCloseTime();
  }

  candles(afterMs: number, throughMs: number): Promise<Candle[]> {
    this.calls++;
    return this.failing ? this.#down() : this.#inner.candles(afterMs, throughMs);
  }

  #down(): Promise<never> {
    return Promise.reject(new Error(`Cannot fetch ${this.id}: source unreachable`));
  }
}
