/**
 * The forecast pool (issue 10; shared/reference/tsps.md): at a cadence on
 * each stream's clock, offset by a seeded per-validator draw so validators
 * spread their load (TSPS's random minute, §1.3), the validator asks every
 * connected miner for the next `horizon` closes over its gateway session —
 * a commitment first, the forecast after (§1.4) — and keeps the request in
 * Deno KV. Once a request's horizon has passed on its stream it is scored:
 * skill against the naive last-close forecast (engine/forecast/
 * forecast_error.ts), 0 for missing, malformed or mismatched reveals, split
 * among near-identical forecasts (copy_detection.ts), folded into the EMA
 * ledger (ledger.ts), and the realised closes go back to the miners (TSPS's
 * LiveBackward). Every matured request is scored on each tick, oldest
 * first, so a backlog after downtime is cleared at once (TSPS scored one a
 * tick and never caught up, §2.3).
 *
 * `scoring: "tsps"` swaps the skill for TSPS's own per-request shares
 * (engine/forecast/loss_normalization.ts, §3.2: weighted RMSE min–max
 * scaled across the responders) to compare with the original subnet; see
 * that file for why skill is the default. Copies are split either way.
 *
 * Streams are independent: one whose source fails (a kline REST source
 * down) is logged and tried again on the next tick while the others are
 * asked and scored as usual.
 *
 * The ledger's volatility weight g is 1: TSPS's percentile tables are in
 * USD of 2022–23 BTC (§3.3) and mean nothing for simulated books; a
 * scale-free table is future work.
 *
 * @module
 */
import { decode } from "@msgpack/msgpack";
import type { Candle } from "@/engine/forecast/candles.ts";
import { revealMatches } from "@/engine/forecast/commit_reveal.ts";
import { copyGroups, splitAmongCopies, stepVolatility } from "@/engine/forecast/copy_detection.ts";
import { forecastSkill } from "@/engine/forecast/forecast_error.ts";
import {
  candleColumns,
  type ForecastAnswer,
  forecastRequestFrame,
  MAX_HISTORY_CANDLES,
  readForecastAnswer,
  readHistoryAsk,
} from "@/engine/forecast/forecast_frames.ts";
import { checkForecast, FORECAST_HORIZON } from "@/engine/forecast/forecast_request.ts";
import { updateLedger } from "@/engine/forecast/ledger.ts";
import { tspsShares } from "@/engine/forecast/loss_normalization.ts";
import { PROTOCOL_VERSION, type ServerFrame } from "@/engine/gateway/frames.ts";
import type { PoolInput } from "@/engine/scoring/pools.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import type { Session } from "@/server/gateway/session_registry.ts";
import {
  type ForecastRecord,
  lastOrigin,
  type LedgerEntry,
  pendingRequests,
  type PredictionRecord,
  predictionsOf,
  pruneRequests,
  readLedger,
  saveNewRequest,
  saveOutcome,
  type ScoreEntry,
} from "@/server/forecast/forecast_store.ts";
import type { ForecastStream } from "@/server/forecast/stream.ts";

/** What the pool needs of server/gateway/gateway.ts's MinerGateway. */
export interface ForecastGateway {
  readonly sessions: readonly Session[];
  publish(frameFor: (session: Session) => ServerFrame | null): void;
  onResponse(listener: (session: Session, body: Uint8Array) => void): () => void;
}

/**
 * What a scored request pays into the ledger: "skill" against naive (the
 * default) or "tsps", TSPS's min–max normalised shares (tsps.md §3.2).
 */
export type ForecastScoring = "skill" | "tsps";

/** Every ForecastScoring, the default first. */
export const FORECAST_SCORINGS: readonly ForecastScoring[] = ["skill", "tsps"];

export interface ForecastPoolOptions {
  kv: Deno.Kv;
  gateway: ForecastGateway;
  streams: readonly ForecastStream[];
  validatorHotkey: string;
  seed: number;
  /** Stream ms between requests on a stream; default 30 min (TSPS :00/:30). */
  cadenceMs?: number;
  /** Closes asked for; default 100. */
  horizon?: number;
  /** Candles of history sent with a request; default 500. */
  historyCandles?: number;
  /** Wall ms miners have to commit, and then to reveal; default 5 s each. */
  commitTimeoutMs?: number;
  revealTimeoutMs?: number;
  /** Per-request shares; default "skill". */
  scoring?: ForecastScoring;
  log?: (line: string) => void;
}

/** Candles a stream needs before its first request. */
export const MIN_HISTORY_CANDLES = 10;
/** TSPS's volatility weight, fixed at 1 (see the module comment). */
const DIFFICULTY = 1;
/** Settled requests kept per stream in KV (older ones are pruned). */
const KEPT_REQUESTS = 500;
/** Recent closes kept with a request for the viewer. */
const RECENT_CLOSES = 60;
/** Limits for decoding a miner's response body. */
const BODY_LIMITS = { maxArrayLength: 1000, maxMapLength: 64, maxStrLength: 256 };

/** FNV-1a of a string: the validator's hotkey becomes part of its schedule seed. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class ForecastPool {
  readonly #options: Required<Omit<ForecastPoolOptions, "log">> & { log: (line: string) => void };
  readonly #streams: Map<string, ForecastStream>;
  #ledger = new Map<string, LedgerEntry>();
  #lastParticipation = 0;
  #loaded = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopHistory: (() => void) | undefined;
  #busy: Promise<unknown> = Promise.resolve();
  readonly #offsets = new Map<string, number>();

  constructor(options: ForecastPoolOptions) {
    this.#options = {
      cadenceMs: 30 * 60_000,
      horizon: FORECAST_HORIZON,
      historyCandles: 500,
      commitTimeoutMs: 5000,
      revealTimeoutMs: 5000,
      scoring: "skill",
      ...options,
      // ForecastService passes its own optional log through, possibly undefined.
      log: options.log ?? (() => {}),
    };
    this.#streams = new Map(options.streams.map((stream) => [stream.id, stream]));
    const random = new SeededRandom((options.seed ^ fnv1a(options.validatorHotkey)) >>> 0);
    for (const stream of options.streams) {
      if (this.#options.cadenceMs % stream.intervalMs !== 0) {
        throw new RangeError(
          `Invalid forecast cadence ${this.#options.cadenceMs} ms: must be a multiple of stream ${stream.id}'s ${stream.intervalMs} ms candles`,
        );
      }
      const slots = this.#options.cadenceMs / stream.intervalMs;
      this.#offsets.set(stream.id, random.integer(0, slots) * stream.intervalMs);
    }
  }

  get streams(): ForecastStream[] {
    return [...this.#streams.values()];
  }

  get horizon(): number {
    return this.#options.horizon;
  }

  /** This validator's offset into the cadence on `stream`, stream ms. */
  offsetMs(stream: string): number {
    return this.#offsets.get(stream) ?? 0;
  }

  /** Loads the ledger from KV (once). */
  async load(): Promise<void> {
    if (this.#loaded) return;
    this.#ledger = await readLedger(this.#options.kv);
    this.#loaded = true;
  }

  /**
   * Scores every matured request, then asks on every stream that is due.
   * A stream whose source fails is logged and left for the next tick; the
   * others go on.
   */
  async tick(): Promise<{ asked: ForecastRecord[]; scored: ForecastRecord[] }> {
    await this.load();
    const scored = await this.scoreMatured();
    const streams = this.streams;
    const results = await Promise.allSettled(streams.map((stream) => this.askIfDue(stream)));
    const asked: ForecastRecord[] = [];
    results.forEach((result, i) => {
      if (result.status === "rejected") {
        this.#streamFailed(streams[i], "not asked", result.reason);
      } else if (result.value !== null) asked.push(result.value);
    });
    return { asked, scored };
  }

  #streamFailed(stream: ForecastStream, what: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#options.log(
      `Forecast stream ${stream.id} ${what}, retrying on the next tick: ${message}`,
    );
  }

  /**
   * Answers miners' training-data requests (`{ history: stream, after }`)
   * with a `history` frame to that session; returns the unsubscribe.
   * start() calls it.
   */
  serveHistory(): () => void {
    return this.#options.gateway.onResponse(async (session, body) => {
      let ask;
      try {
        ask = readHistoryAsk(decode(body, BODY_LIMITS));
      } catch {
        return;
      }
      if (ask === null) return;
      const stream = this.#streams.get(ask.history);
      let candles: Candle[] = [];
      if (stream !== undefined) {
        const latest = await stream.latestCloseTime().catch(() => null);
        if (latest !== null) {
          const from = Math.max(ask.after, latest - MAX_HISTORY_CANDLES * stream.intervalMs);
          candles = await stream.candles(from, latest).catch(() => []);
        }
      }
      this.#options.gateway.publish((other) =>
        other === session
          ? {
            t: "history",
            v: PROTOCOL_VERSION,
            stream: ask.history,
            history: candleColumns(candles),
          }
          : null
      );
    });
  }

  /** Runs tick() every `everyMs` wall ms (never two at once) until stop(); serves history. */
  start(everyMs = 1000): void {
    if (this.#timer !== undefined) return;
    this.#stopHistory = this.serveHistory();
    let running = false;
    this.#timer = setInterval(() => {
      if (running) return;
      running = true;
      this.#busy = this.tick()
        .catch((error) => this.#options.log(`Forecast tick failed: ${error.stack ?? error}`))
        .finally(() => running = false);
    }, everyMs);
  }

  async stop(): Promise<void> {
    this.#stopHistory?.();
    this.#stopHistory = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#busy;
  }

  /** Asks on `stream` when its clock reached this validator's next slot. */
  async askIfDue(stream: ForecastStream): Promise<ForecastRecord | null> {
    const latest = await stream.latestCloseTime();
    if (latest === null) return null;
    const last = await lastOrigin(this.#options.kv, stream.id);
    const offset = this.offsetMs(stream.id);
    const slot = (time: number) => Math.floor((time - offset) / this.#options.cadenceMs);
    // The first request goes out at once; later ones when the clock enters a new slot.
    if (last !== null && slot(latest) <= slot(last)) return null;
    return await this.ask(stream, latest);
  }

  /**
   * One request on `stream` at origin `latest`: commitments, then reveals,
   * checked and saved. Null when there is too little history or no miner.
   */
  async ask(stream: ForecastStream, latest: number): Promise<ForecastRecord | null> {
    const { horizon, historyCandles, kv } = this.#options;
    const history = await stream.candles(latest - historyCandles * stream.intervalMs, latest);
    if (history.length < MIN_HISTORY_CANDLES || history.at(-1)!.closeTime !== latest) return null;
    const asked = new Map<string, number>();
    for (const session of this.#options.gateway.sessions) {
      if (!asked.has(session.hotkey)) asked.set(session.hotkey, session.uid);
    }
    if (asked.size === 0) return null;
    const id = `${stream.id}@${latest}`;
    const request = forecastRequestFrame(id, stream.id, stream.intervalMs, horizon, history);
    const commitments = await this.#collect(id, new Set(asked.keys()), "commitment", request);
    const committed = new Set(
      [...commitments].flatMap(([hotkey, answer]) => ("commitment" in answer ? [hotkey] : [])),
    );
    const reveals = committed.size === 0
      ? new Map<string, ForecastAnswer | Error>()
      : await this.#collect(id, committed, "predictions", { t: "reveal", v: PROTOCOL_VERSION, id });
    const predictions: PredictionRecord[] = [];
    for (const [hotkey, uid] of asked) {
      predictions.push(
        await this.#judge(hotkey, uid, commitments.get(hotkey), reveals.get(hotkey)),
      );
    }
    const record: ForecastRecord = {
      id,
      stream: stream.id,
      origin: latest,
      intervalMs: stream.intervalMs,
      horizon,
      lastClose: history.at(-1)!.close,
      recentCloses: history.slice(-RECENT_CLOSES).map((c) => c.close),
      asked: [...asked].map(([hotkey, uid]) => ({ hotkey, uid })),
      status: "pending",
      askedAt: Date.now(),
    };
    await saveNewRequest(kv, record, predictions);
    const ok = predictions.filter((p) => p.reason === "ok").length;
    this.#options.log(`Forecast ${id}: ${ok} of ${asked.size} miners committed and revealed`);
    return record;
  }

  async #judge(
    hotkey: string,
    uid: number,
    commitment: ForecastAnswer | Error | undefined,
    reveal: ForecastAnswer | Error | undefined,
  ): Promise<PredictionRecord> {
    const base = { hotkey, uid, predictions: null };
    if (commitment === undefined) {
      return { ...base, reason: "missing", detail: "No commitment before the deadline" };
    }
    if (commitment instanceof Error) {
      return { ...base, reason: "malformed", detail: commitment.message };
    }
    if (!("commitment" in commitment)) {
      return { ...base, reason: "malformed", detail: "Predictions sent before the commitment" };
    }
    if (reveal === undefined) {
      return { ...base, reason: "missing", detail: "No reveal before the deadline" };
    }
    if (reveal instanceof Error) return { ...base, reason: "malformed", detail: reveal.message };
    if (!("predictions" in reveal)) {
      return { ...base, reason: "malformed", detail: "A second commitment instead of the reveal" };
    }
    let predictions: number[];
    try {
      predictions = checkForecast(reveal.predictions, this.#options.horizon);
    } catch (error) {
      return { ...base, reason: "malformed", detail: (error as Error).message };
    }
    if (!await revealMatches(hotkey, predictions, commitment.commitment)) {
      return { ...base, reason: "mismatch", detail: "The reveal does not match the commitment" };
    }
    return { ...base, predictions, reason: "ok" };
  }

  /**
   * Sends `frame` to the sessions of `expected` hotkeys and gathers each
   * one's first answer to request `id` of the wanted kind until all
   * answered or the deadline; a malformed answer is kept as its Error.
   */
  #collect(
    id: string,
    expected: ReadonlySet<string>,
    kind: "commitment" | "predictions",
    frame: ServerFrame,
  ): Promise<Map<string, ForecastAnswer | Error>> {
    const answers = new Map<string, ForecastAnswer | Error>();
    const { promise, resolve } = Promise.withResolvers<typeof answers>();
    const unsubscribe = this.#options.gateway.onResponse((session, body) => {
      if (!expected.has(session.hotkey) || answers.has(session.hotkey)) return;
      let answer: ForecastAnswer | null;
      try {
        answer = readForecastAnswer(decode(body, BODY_LIMITS));
      } catch (error) {
        // Not msgpack or not a forecast answer: the trading loop's concern.
        if (!(error instanceof RangeError) || !isForecastBody(body, id)) return;
        answers.set(session.hotkey, error);
        if (answers.size === expected.size) finish();
        return;
      }
      if (answer === null || answer.forecast !== id) return;
      if (kind === "predictions" && "commitment" in answer) return;
      answers.set(session.hotkey, answer);
      if (answers.size === expected.size) finish();
    });
    const timeoutMs = kind === "commitment"
      ? this.#options.commitTimeoutMs
      : this.#options.revealTimeoutMs;
    const timer = setTimeout(() => finish(), timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve(answers);
    };
    this.#options.gateway.publish((session) => (expected.has(session.hotkey) ? frame : null));
    return promise;
  }

  /**
   * Scores every pending request whose horizon has passed on its stream,
   * oldest first, and sends each realised series back to the miners asked.
   */
  async scoreMatured(): Promise<ForecastRecord[]> {
    await this.load();
    const scored: ForecastRecord[] = [];
    const latestByStream = new Map<string, number | null>();
    for (const record of await pendingRequests(this.#options.kv)) {
      const stream = this.#streams.get(record.stream);
      if (stream === undefined) continue;
      if (!latestByStream.has(stream.id)) {
        let latest: number | null = null;
        try {
          latest = await stream.latestCloseTime();
        } catch (error) {
          this.#streamFailed(stream, "not scored", error);
        }
        latestByStream.set(stream.id, latest);
      }
      const latest = latestByStream.get(stream.id)!;
      const end = record.origin + record.horizon * record.intervalMs;
      if (latest === null || latest < end) continue;
      try {
        scored.push(await this.#score(record, stream, end));
      } catch (error) {
        // A source down now (the kline REST stream) is retried on the next tick.
        this.#options.log(`Forecast ${record.id} not scored yet: ${(error as Error).message}`);
      }
    }
    for (const stream of new Set(scored.map((record) => record.stream))) {
      await pruneRequests(this.#options.kv, stream, KEPT_REQUESTS);
    }
    return scored;
  }

  async #score(record: ForecastRecord, stream: ForecastStream, end: number) {
    const { kv } = this.#options;
    const candles = await stream.candles(record.origin, end);
    const aligned = candles.length === record.horizon &&
      candles.every((c, i) => c.closeTime === record.origin + (i + 1) * record.intervalMs);
    if (!aligned) {
      const voided: ForecastRecord = {
        ...record,
        status: "void",
        scoredAt: Date.now(),
        voidReason: `The stream has ${candles.length} of the ${record.horizon} candles`,
      };
      await saveOutcome(kv, voided, []);
      this.#options.log(`Forecast ${record.id} void: ${voided.voidReason}`);
      return voided;
    }
    const actual = candles.map((c) => c.close);
    const predictions = await predictionsOf(kv, record.id);
    const skills = new Map<string, number>();
    const valid = new Map<string, number[]>();
    for (const prediction of predictions) {
      skills.set(
        prediction.hotkey,
        forecastSkill(prediction.predictions, actual, record.lastClose),
      );
      if (prediction.predictions !== null) valid.set(prediction.hotkey, prediction.predictions);
    }
    const groups = copyGroups(valid, {
      lastClose: record.lastClose,
      stepVolatility: stepVolatility(record.recentCloses),
    }).filter((group) => group.length > 1);
    // TSPS leaves out miners without a valid forecast (the ledger decays them as absent).
    const paid = this.#options.scoring === "tsps" ? tspsShares(valid, actual) : skills;
    const shares = splitAmongCopies(paid, groups);
    const values = updateLedger(
      new Map([...this.#ledger].map(([hotkey, entry]) => [hotkey, entry.value])),
      shares,
      DIFFICULTY,
    );
    const now = Date.now();
    const uidOf = new Map(record.asked.map(({ hotkey, uid }) => [hotkey, uid]));
    const ledger: LedgerEntry[] = [...values].map(([hotkey, value]) => {
      const previous = this.#ledger.get(hotkey);
      const asked = uidOf.has(hotkey);
      return {
        hotkey,
        uid: uidOf.get(hotkey) ?? previous!.uid,
        value,
        requests: (previous?.requests ?? 0) + (asked ? 1 : 0),
        lastSkill: asked ? skills.get(hotkey) ?? 0 : previous?.lastSkill ?? 0,
        updatedAt: now,
      };
    });
    const scores: ScoreEntry[] = predictions.map((prediction) => {
      const group = groups.find((g) => g.includes(prediction.hotkey));
      return {
        hotkey: prediction.hotkey,
        uid: prediction.uid,
        skill: skills.get(prediction.hotkey) ?? 0,
        share: shares.get(prediction.hotkey) ?? 0,
        reason: prediction.reason,
        ...(group ? { copies: group } : {}),
      };
    }).sort((a, b) => b.share - a.share || a.uid - b.uid);
    const outcome: ForecastRecord = { ...record, status: "scored", scoredAt: now, actual, scores };
    await saveOutcome(kv, outcome, ledger);
    this.#ledger = new Map(ledger.map((entry) => [entry.hotkey, entry]));
    this.#lastParticipation = predictions.length === 0
      ? 0
      : predictions.filter((p) => p.reason === "ok").length / predictions.length;
    const asked = new Set(uidOf.keys());
    this.#options.gateway.publish((session) =>
      asked.has(session.hotkey)
        ? { t: "outcome", v: PROTOCOL_VERSION, id: record.id, closes: actual }
        : null
    );
    return outcome;
  }

  /** The ledger, best first. */
  leaderboard(): LedgerEntry[] {
    return [...this.#ledger.values()].sort((a, b) => b.value - a.value || a.uid - b.uid);
  }

  /**
   * The forecast pool's input to engine/scoring/pools.ts: ledger values by
   * UID (a UID's latest holder wins) and the share of asked miners that
   * answered the last scored request. Undefined before any scoring.
   */
  poolInput(uidCount: number): PoolInput | undefined {
    if (this.#ledger.size === 0) return undefined;
    const scores = new Array<number>(uidCount).fill(0);
    const seen = new Map<number, number>();
    for (const entry of this.#ledger.values()) {
      if (entry.uid >= uidCount || (seen.get(entry.uid) ?? -1) > entry.updatedAt) continue;
      seen.set(entry.uid, entry.updatedAt);
      scores[entry.uid] = entry.value;
    }
    return { scores, participation: this.#lastParticipation };
  }
}

/** Whether a body that failed to parse still names forecast `id` (then it is malformed, not foreign). */
function isForecastBody(body: Uint8Array, id: string): boolean {
  try {
    const value = decode(body, BODY_LIMITS) as Record<string, unknown>;
    return typeof value === "object" && value !== null && value.forecast === id;
  } catch {
    return false;
  }
}
