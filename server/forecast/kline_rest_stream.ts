/**
 * Real 5-minute klines over HTTP, Binance-style (tsps.md §2.1):
 * `GET {base}/api/v3/klines?symbol&interval&startTime&endTime&limit` answers
 * `[[openTime, "open", "high", "low", "close", "volume", closeTime, …], …]`.
 * Several base URLs are asked at once; the candles of every source that
 * answers in time are merged (close = mean, high = max, low = min, volume =
 * sum, as TSPS v6), so one geo-blocked or down exchange (TSPS's HTTP 451
 * pain, §6) costs nothing. When none answers, the call fails naming each.
 *
 * Opt-in: the validator only builds this stream when configured with URLs.
 *
 * @module
 */
import type { Candle } from "@/engine/forecast/candles.ts";
import { checkCandle, type ForecastStream, mergeCandles } from "@/server/forecast/stream.ts";

/** Binance's most rows per kline request. */
const PAGE_LIMIT = 1000;
/** Per-source timeout, ms (TSPS v6 gave ground truth 10 s overall). */
const DEFAULT_TIMEOUT_MS = 10_000;
/** Wait after a boundary before its candle counts as published, ms. */
const DEFAULT_SETTLE_MS = 60_000;

export interface KlineRestOptions {
  /** Base URLs, e.g. ["https://api.binance.com"]; at least one. */
  urls: readonly string[];
  symbol?: string;
  /** Binance interval name; default "5m". */
  interval?: string;
  intervalMs?: number;
  id?: string;
  timeoutMs?: number;
  /**
   * How long after a boundary its candle counts as closed, wall ms, so the
   * exchanges have published it (TSPS waited an hour, §2.3); default 60 s.
   */
  settleMs?: number;
  /** Wall clock, ms. */
  now?: () => number;
  fetch?: typeof fetch;
}

export class KlineRestStream implements ForecastStream {
  readonly id: string;
  readonly intervalMs: number;
  readonly #options: Required<Omit<KlineRestOptions, "id" | "intervalMs">>;
  /** Which sources answered the last call. */
  lastSources: { url: string; ok: boolean; error?: string }[] = [];

  constructor(options: KlineRestOptions) {
    if (options.urls.length === 0) throw new RangeError("Invalid kline source: urls is empty");
    for (const url of options.urls) {
      if (!URL.canParse(url)) throw new RangeError(`Invalid kline source URL "${url}"`);
    }
    this.intervalMs = options.intervalMs ?? 5 * 60_000;
    const symbol = options.symbol ?? "BTCUSDT";
    this.id = options.id ?? `${symbol}-${this.intervalMs / 60_000}m`;
    this.#options = {
      urls: options.urls,
      symbol,
      interval: options.interval ?? "5m",
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      settleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
      now: options.now ?? (() => Date.now()),
      fetch: options.fetch ?? fetch,
    };
  }

  /** The last interval boundary the wall clock passed at least `settleMs` ago (that candle is out). */
  latestCloseTime(): Promise<number | null> {
    const settled = this.#options.now() - this.#options.settleMs;
    return Promise.resolve(Math.floor(settled / this.intervalMs) * this.intervalMs);
  }

  async candles(afterMs: number, throughMs: number): Promise<Candle[]> {
    const until = Math.min(throughMs, await this.latestCloseTime() ?? throughMs);
    if (until <= afterMs) return [];
    const results = await Promise.allSettled(
      this.#options.urls.map((url) => this.#fetchRange(url, afterMs, until)),
    );
    this.lastSources = results.map((result, i) => ({
      url: this.#options.urls[i],
      ok: result.status === "fulfilled",
      ...(result.status === "rejected"
        ? { error: String(result.reason?.message ?? result.reason) }
        : {}),
    }));
    const answered = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    if (answered.length === 0) {
      throw new Error(
        `Cannot fetch klines: no source answered (${
          this.lastSources.map((s) => `${s.url}: ${s.error}`).join("; ")
        })`,
      );
    }
    return mergeCandles(answered);
  }

  async #fetchRange(base: string, afterMs: number, throughMs: number): Promise<Candle[]> {
    const candles: Candle[] = [];
    // Open times from afterMs (its candle closes after afterMs) to throughMs − interval.
    let start = afterMs;
    const lastOpen = throughMs - this.intervalMs;
    while (start <= lastOpen) {
      const url = new URL("/api/v3/klines", base);
      url.searchParams.set("symbol", this.#options.symbol);
      url.searchParams.set("interval", this.#options.interval);
      url.searchParams.set("startTime", String(start));
      url.searchParams.set("endTime", String(lastOpen));
      url.searchParams.set("limit", String(PAGE_LIMIT));
      const response = await this.#options.fetch(url, {
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const rows = await response.json();
      if (!Array.isArray(rows)) throw new Error("Invalid klines: the answer is not an array");
      const page = rows.map((row, i) => parseKlineRow(row, this.intervalMs, `${base} row ${i}`))
        .filter((c) => c.closeTime > afterMs && c.closeTime <= throughMs);
      candles.push(...page);
      if (rows.length < PAGE_LIMIT || page.length === 0) break;
      start = page.at(-1)!.closeTime;
    }
    return candles;
  }
}

/** One Binance kline row as a candle stamped with its close time. */
export function parseKlineRow(row: unknown, intervalMs: number, where: string): Candle {
  if (!Array.isArray(row) || row.length < 6) {
    throw new RangeError(`Invalid kline at ${where}: must be an array of at least 6 fields`);
  }
  return checkCandle({
    closeTime: Number(row[0]) + intervalMs,
    open: Number(row[1]),
    high: Number(row[2]),
    low: Number(row[3]),
    close: Number(row[4]),
    volume: Number(row[5]),
  }, where);
}

/** A candle as a Binance kline row (the test replay server speaks this). */
export function klineRow(candle: Candle, intervalMs: number): (number | string)[] {
  return [
    candle.closeTime - intervalMs,
    String(candle.open),
    String(candle.high),
    String(candle.low),
    String(candle.close),
    String(candle.volume),
    candle.closeTime - 1,
  ];
}
