/**
 * The forecast pool as the validator runs it: its streams from the
 * settings (simulated books; the opt-in kline REST source; a kline CSV
 * replayed on simulated time), the pool ticking once a second, and what
 * the viewer reads (routes/api/forecasts/).
 *
 * @module
 */
import type {
  ForecastBoardView,
  ForecastLine,
  ForecastStreamView,
} from "@/engine/forecast/forecast_view.ts";
import { BookCandleStream, type BookSource, STEP_MS } from "@/server/forecast/book_stream.ts";
import type { ForecastSettings } from "@/server/forecast/forecast_config.ts";
import { type ForecastGateway, ForecastPool } from "@/server/forecast/forecast_pool.ts";
import { predictionsOf, recentRequests } from "@/server/forecast/forecast_store.ts";
import { CsvKlineStream } from "@/server/forecast/kline_csv.ts";
import { readKlineFile } from "@/server/forecast/kline_file.ts";
import { KlineRestStream } from "@/server/forecast/kline_rest_stream.ts";
import type { ForecastStream } from "@/server/forecast/stream.ts";

/** Candles of history a replayed CSV starts with. */
const CSV_WARMUP_CANDLES = 500;
/** Candles of each stream the viewer gets. */
const VIEW_CANDLES = 200;

export interface ForecastServiceOptions {
  settings: ForecastSettings;
  market: BookSource & { readonly stepCount: number };
  gateway: ForecastGateway;
  kv: Deno.Kv;
  validatorHotkey: string;
  seed: number;
  log?: (line: string) => void;
}

export class ForecastService {
  readonly pool: ForecastPool;
  readonly #bookStreams: BookCandleStream[];
  readonly #cadenceMs: number;

  private constructor(pool: ForecastPool, bookStreams: BookCandleStream[], cadenceMs: number) {
    this.pool = pool;
    this.#bookStreams = bookStreams;
    this.#cadenceMs = cadenceMs;
  }

  /** Builds the streams and the pool; call start() to begin asking. */
  static async open(options: ForecastServiceOptions): Promise<ForecastService> {
    const { settings, market } = options;
    const intervalMs = settings.intervalSeconds * 1000;
    const bookStreams = settings.books.map((id) => new BookCandleStream(market, id, intervalMs));
    const streams: ForecastStream[] = [...bookStreams];
    if (settings.klineUrls.length > 0) {
      streams.push(new KlineRestStream({ urls: settings.klineUrls, id: "BTCUSDT-5m" }));
    }
    if (settings.klineFile !== undefined) {
      const candles = await readKlineFile(settings.klineFile);
      const start = candles[Math.min(CSV_WARMUP_CANDLES, candles.length) - 1].closeTime;
      const startStep = market.stepCount;
      streams.push(
        new CsvKlineStream(candles, {
          id: "csv-replay",
          now: () => start + (market.stepCount - startStep) * STEP_MS,
        }),
      );
    }
    const pool = new ForecastPool({
      kv: options.kv,
      gateway: options.gateway,
      streams,
      validatorHotkey: options.validatorHotkey,
      seed: options.seed,
      cadenceMs: settings.cadenceSeconds * 1000,
      horizon: settings.horizon,
      scoring: settings.scoring,
      log: options.log,
    });
    await pool.load();
    return new ForecastService(pool, bookStreams, settings.cadenceSeconds * 1000);
  }

  start(): void {
    this.pool.start(1000);
  }

  async stop(): Promise<void> {
    await this.pool.stop();
    for (const stream of this.#bookStreams) stream.close();
  }

  /** The forecasts page's data: every stream with its newest requests, and the ledger. */
  async board(kv: Deno.Kv, requestsPerStream = 6): Promise<ForecastBoardView> {
    const streams = await Promise.all(
      this.pool.streams.map((stream) => this.stream(kv, stream.id, requestsPerStream)),
    );
    return {
      horizon: this.pool.horizon,
      cadenceMs: this.#cadenceMs,
      streams: streams.filter((view): view is ForecastStreamView => view !== null),
      leaderboard: this.pool.leaderboard().map(({ uid, hotkey, value, requests, lastSkill }) => ({
        uid,
        hotkey,
        value,
        requests,
        lastSkill,
      })),
    };
  }

  /** The stream named `id` with its recent candles and requests; null if there is none. */
  async stream(kv: Deno.Kv, id: string, requests = 6): Promise<ForecastStreamView | null> {
    const stream = this.pool.streams.find((s) => s.id === id);
    if (stream === undefined) return null;
    const latest = await stream.latestCloseTime().catch(() => null);
    const candles = latest === null
      ? []
      : await stream.candles(latest - VIEW_CANDLES * stream.intervalMs, latest).catch(() => []);
    const records = await recentRequests(kv, id, requests);
    return {
      id,
      intervalMs: stream.intervalMs,
      closeTimes: candles.map((c) => c.closeTime),
      closes: candles.map((c) => c.close),
      requests: await Promise.all(records.map(async (record) => {
        const scores = new Map((record.scores ?? []).map((score) => [score.hotkey, score]));
        return {
          id: record.id,
          origin: record.origin,
          intervalMs: record.intervalMs,
          horizon: record.horizon,
          status: record.status,
          lastClose: record.lastClose,
          recentCloses: record.recentCloses,
          ...(record.actual ? { actual: record.actual } : {}),
          ...(record.voidReason ? { voidReason: record.voidReason } : {}),
          forecasts: (await predictionsOf(kv, record.id)).map((p): ForecastLine => {
            const score = scores.get(p.hotkey);
            return {
              uid: p.uid,
              hotkey: p.hotkey,
              predictions: p.predictions,
              reason: p.reason,
              ...(score
                ? {
                  skill: score.skill,
                  share: score.share,
                  ...(score.copies ? { copies: score.copies } : {}),
                }
                : {}),
            };
          }).sort((a, b) => a.uid - b.uid),
        };
      })),
    };
  }
}
