/**
 * The validator's figures for its operator: one snapshot shown by the
 * dashboard (GET /api/validator, the /validator page) and the same figures
 * in Prometheus's text exposition format 0.0.4 (GET /metrics,
 * https://prometheus.io/docs/instrumenting/exposition_formats/).
 *
 * Series stay few (issue 7): aggregate gauges and counters, and per-miner
 * gauges labelled by UID only, so a subnet's 256 UIDs bound them.
 *
 * @module
 */
import type { ChainClient } from "@/server/chain/chain_client.ts";
import type { FeedHub } from "@/server/feed/mod.ts";
import type { MinerGateway } from "@/server/gateway/gateway.ts";
import type { TradingLedger } from "@/server/scoring/trading_ledger.ts";
import type { RoundReport, ValidatorLoop } from "@/server/validator_loop.ts";
import { SimulationSpeed, SPEED_WINDOW_MS } from "@/server/simulation_speed.ts";
import type { MinerFigures, ValidatorStatus } from "@/islands/ValidatorDashboard.tsx";

// MARK: text exposition format

/** The Content-Type of the text format, as Prometheus asks for it. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  /** Appended to the family's name: `_bucket`, `_sum` or `_count` for a histogram. */
  suffix?: "_bucket" | "_sum" | "_count";
  labels?: Readonly<Record<string, string | number>>;
  value: number;
}

/** One metric: its HELP and TYPE lines, then its samples. */
export interface MetricFamily {
  /** Counters end in `_total` (the name their samples carry in format 0.0.4). */
  name: string;
  help: string;
  type: MetricType;
  samples: readonly Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Writes metric families in the text exposition format.
 *
 * @example Usage
 * ```ts
 * import { formatPrometheus } from "@/server/metrics.ts";
 * import { equal } from "node:assert/strict";
 *
 * const text = formatPrometheus([
 *   { name: "books", help: "Order books.", type: "gauge", samples: [{ value: 4 }] },
 * ]);
 * equal(text, "# HELP books Order books.\n# TYPE books gauge\nbooks 4\n");
 * ```
 */
export function formatPrometheus(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  let text = "";
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) {
      throw new RangeError(`Cannot write metric "${family.name}": invalid metric name`);
    }
    if (seen.has(family.name)) {
      throw new RangeError(`Cannot write metric "${family.name}": it is listed twice`);
    }
    seen.add(family.name);
    text += `# HELP ${family.name} ${
      escapeHelp(family.help)
    }\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      text += `${family.name}${sample.suffix ?? ""}${formatLabels(sample.labels)} ${
        formatValue(sample.value)
      }\n`;
    }
  }
  return text;
}

/** HELP text escapes backslash and line feed. */
function escapeHelp(help: string): string {
  return help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

/** Label values escape backslash, double quote and line feed. */
function escapeLabelValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function formatLabels(labels: Sample["labels"]): string {
  if (labels === undefined) return "";
  const pairs = Object.entries(labels).map(([name, value]) => {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      throw new RangeError(`Cannot write label "${name}": invalid label name`);
    }
    return `${name}="${escapeLabelValue(String(value))}"`;
  });
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** Go's float syntax, which Prometheus parses: NaN, +Inf, -Inf or a number. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/** A histogram's samples from per-bucket (not cumulative) counts; the last bucket is +Inf. */
export function histogramSamples(
  upperBounds: readonly number[],
  counts: readonly number[],
  sum: number,
): Sample[] {
  let cumulative = 0;
  const buckets = counts.map((count, index): Sample => {
    cumulative += count;
    const le = index < upperBounds.length ? String(upperBounds[index]) : "+Inf";
    return { suffix: "_bucket", labels: { le }, value: cumulative };
  });
  return [...buckets, { suffix: "_sum", value: sum }, { suffix: "_count", value: cumulative }];
}

// MARK: round timings

/**
 * Upper bounds of the round-duration histogram, seconds: Prometheus
 * clients' default buckets (5 ms … 10 s), which span a round from the
 * 100 ms step to the 3 s answer deadline (τaos §2.7).
 */
export const ROUND_SECONDS_BUCKETS = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
] as const;

/** Rounds the dashboard's p50/p99 look back over (one minute at the 100 ms default step). */
export const QUANTILE_WINDOW_ROUNDS = 600;

/**
 * Counts and durations of the rounds a validator loop ran since the
 * process started (replayed rounds are not run, so not counted), and the
 * durations of the last QUANTILE_WINDOW_ROUNDS for percentiles.
 */
export class RoundTimings {
  /** Rounds per histogram bucket; the last one is +Inf. */
  readonly #bucketCounts = new Array<number>(ROUND_SECONDS_BUCKETS.length + 1).fill(0);
  readonly #recentMs: number[] = [];
  #nextRecent = 0;
  /** Simulated seconds per wall second over the last SPEED_WINDOW_MS. */
  readonly speed: SimulationSpeed;
  rounds = 0;
  totalMs = 0;
  stepMs = 0;
  publishMs = 0;
  collectMs = 0;
  engineEvents = 0;
  answers = 0;
  lateAnswers = 0;
  instructions = 0;
  refused = 0;

  /** `now` is the wall clock in ms, for the speed (tests pass their own). */
  constructor(now: () => number = () => performance.now()) {
    this.speed = new SimulationSpeed(now);
  }

  observe(report: RoundReport): void {
    this.rounds++;
    this.totalMs += report.totalMs;
    this.stepMs += report.stepMs;
    this.speed.observe(report.timeNs);
    this.publishMs += report.publishMs;
    this.collectMs += report.collectMs;
    this.engineEvents += report.events;
    this.answers += report.responses;
    this.lateAnswers += report.late;
    this.instructions += report.instructions;
    this.refused += report.refused;
    const bucket = ROUND_SECONDS_BUCKETS.findIndex((le) => report.totalMs / 1000 <= le);
    this.#bucketCounts[bucket === -1 ? ROUND_SECONDS_BUCKETS.length : bucket]++;
    if (this.#recentMs.length < QUANTILE_WINDOW_ROUNDS) this.#recentMs.push(report.totalMs);
    else this.#recentMs[this.#nextRecent] = report.totalMs;
    this.#nextRecent = (this.#nextRecent + 1) % QUANTILE_WINDOW_ROUNDS;
  }

  /** Rounds per histogram bucket (ROUND_SECONDS_BUCKETS, then +Inf), not cumulative. */
  get bucketCounts(): readonly number[] {
    return this.#bucketCounts;
  }

  /** Rounds in the percentile window. */
  get windowRounds(): number {
    return this.#recentMs.length;
  }

  /**
   * The nearest-rank `q` quantile of the recent round durations, ms; null
   * before the first round.
   *
   * @example Usage
   * ```ts
   * import { RoundTimings } from "@/server/metrics.ts";
   * import { equal } from "node:assert/strict";
   *
   * const timings = new RoundTimings();
   * equal(timings.quantileMs(0.5), null);
   * ```
   */
  quantileMs(q: number): number | null {
    if (this.#recentMs.length === 0) return null;
    const sorted = this.#recentMs.toSorted((a, b) => a - b);
    const rank = Math.max(1, Math.ceil(q * sorted.length));
    return sorted[rank - 1];
  }
}

// MARK: the validator's figures

/** What the figures are read from: the running services (server/web_context.ts). */
export interface ValidatorSources {
  loop:
    & Pick<
      ValidatorLoop,
      | "roundNumber"
      | "lastRound"
      | "timings"
      | "fundedUids"
      | "scoring"
      | "simulation"
      | "validatorHotkey"
      | "lastResponseMs"
    >
    & { ledger: Pick<TradingLedger, "totals" | "volume"> };
  gateway: Pick<MinerGateway, "miners">;
  chain: Pick<ChainClient, "kind" | "metagraph" | "weights" | "lastSync">;
  market: { readonly bookCount: number };
  feed: Pick<FeedHub, "connectionCount" | "droppedClients">;
  /** Simulated seconds one simulation lasts (Config.simDurationSeconds). */
  simDurationSeconds: number;
}

/**
 * The dashboard's snapshot: the simulation, round timings, every funded or
 * connected miner (by UID) and the chain's view of this validator.
 */
export async function validatorStatus(sources: ValidatorSources): Promise<ValidatorStatus> {
  const { loop, chain, market, feed } = sources;
  const [neurons, weightRows] = await Promise.all([chain.metagraph(), chain.weights()]);
  const validatorUid = neurons.find((neuron) => neuron.hotkey === loop.validatorHotkey)?.uid ??
    null;
  const ownWeights = weightRows.find((row) => row.uid === validatorUid);
  const { timings } = loop;
  return {
    simulation: loop.simulation,
    simDurationSeconds: sources.simDurationSeconds,
    speed: {
      simulatedSecondsPerSecond: timings.speed.simulatedSecondsPerSecond(),
      windowSeconds: SPEED_WINDOW_MS / 1000,
    },
    round: loop.roundNumber,
    books: market.bookCount,
    lastRound: loop.lastRound,
    timings: {
      rounds: timings.rounds,
      windowRounds: timings.windowRounds,
      p50Ms: timings.quantileMs(0.5),
      p99Ms: timings.quantileMs(0.99),
      meanStepMs: timings.rounds === 0 ? null : timings.stepMs / timings.rounds,
    },
    miners: minerFigures(sources, (uid) => neurons[uid]?.hotkey ?? null),
    chain: {
      kind: chain.kind,
      validatorHotkey: loop.validatorHotkey,
      validatorUid,
      neurons: neurons.length,
      weightsSetAt: ownWeights && ownWeights.setAt > 0 ? ownWeights.setAt : null,
      weightsOnChain: ownWeights?.uids.length ?? 0,
      weightsComputed: loop.scoring?.weights.uids.length ?? 0,
      metagraphSync: chain.lastSync?.() ?? null,
    },
    feedViewers: feed.connectionCount,
  };
}

/** Every funded or connected miner, by UID; `hotkeyOf` names those not connected. */
function minerFigures(
  { loop, gateway, market }: Omit<ValidatorSources, "chain">,
  hotkeyOf: (uid: number) => string | null,
): MinerFigures[] {
  const connected = new Map(gateway.miners.map((miner) => [miner.uid, miner]));
  const scores = new Map((loop.scoring?.scores ?? []).map((score) => [score.uid, score]));
  const uids = [...new Set([...loop.fundedUids, ...connected.keys()])].sort((a, b) => a - b);
  return uids.map((uid) => {
    let volume = 0;
    for (let bookId = 0; bookId < market.bookCount; bookId++) {
      volume += loop.ledger.volume(uid, bookId);
    }
    return {
      uid,
      hotkey: connected.get(uid)?.hotkey ?? hotkeyOf(uid),
      connected: connected.has(uid),
      lastResponseMs: loop.lastResponseMs(uid) ?? null,
      ...loop.ledger.totals(uid),
      volume,
      score: scores.get(uid)?.trading ?? null,
      weight: scores.get(uid)?.weight ?? null,
      refusedFrames: connected.get(uid)?.refusedFrames ?? 0,
    };
  });
}

/** Prefix of every series this validator exports. */
const PREFIX = "marketforge_";

/**
 * The validator's figures as metric families for GET /metrics. Reads only
 * what the process holds in memory (no chain calls), so a scrape is cheap.
 */
export function validatorMetrics(sources: Omit<ValidatorSources, "chain">): MetricFamily[] {
  const { loop, gateway, market, feed } = sources;
  const { timings } = loop;
  const last = loop.lastRound;
  const miners = minerFigures(sources, () => null);
  const simulationIndex = loop.simulation?.index ?? 0;
  const one = (type: MetricType) => (name: string, help: string, value: number): MetricFamily => ({
    name: PREFIX + name,
    help,
    type,
    samples: [{ value }],
  });
  const [gauge, counter] = [one("gauge"), one("counter")];
  const perMiner = (
    name: string,
    help: string,
    valueOf: (miner: MinerFigures) => number | null,
  ): MetricFamily => ({
    name: PREFIX + name,
    help,
    type: "gauge",
    samples: miners.flatMap((miner) => {
      const value = valueOf(miner);
      return value === null ? [] : [{ labels: { uid: miner.uid }, value }];
    }),
  });
  return [
    gauge("round", "Number of the last round run or replayed.", loop.roundNumber),
    gauge("simulation_index", "Index of the running simulation, 0 first.", simulationIndex),
    gauge(
      "simulation_duration_seconds",
      "Simulated seconds one simulation lasts.",
      sources.simDurationSeconds,
    ),
    gauge(
      "simulated_seconds_per_second",
      `Simulated seconds per wall second over the last ${SPEED_WINDOW_MS / 1000} s.`,
      timings.speed.simulatedSecondsPerSecond() ?? 0,
    ),
    gauge("simulated_seconds", "Simulated time at the last round run.", (last?.timeNs ?? 0) / 1e9),
    gauge("books", "Order books in the simulation.", market.bookCount),
    {
      name: PREFIX + "round_duration_seconds",
      help: "Wall time of each round run since the process started.",
      type: "histogram",
      samples: histogramSamples(ROUND_SECONDS_BUCKETS, timings.bucketCounts, timings.totalMs / 1e3),
    },
    {
      name: PREFIX + "round_phase_seconds_total",
      help: "Wall time spent stepping the engine, publishing states and collecting answers.",
      type: "counter",
      samples: [
        { labels: { phase: "step" }, value: timings.stepMs / 1e3 },
        { labels: { phase: "publish" }, value: timings.publishMs / 1e3 },
        { labels: { phase: "collect" }, value: timings.collectMs / 1e3 },
      ],
    },
    gauge("round_engine_events", "Engine events of the last round's step.", last?.events ?? 0),
    counter("engine_events_total", "Engine events of the rounds run.", timings.engineEvents),
    gauge("miners_connected", "Miners with an authenticated connection.", gateway.miners.length),
    gauge("miners_answering", "Miners that answered the last round in time.", last?.responses ?? 0),
    gauge("miners_late", "Miners that missed the last round's deadline.", last?.late ?? 0),
    counter("answers_total", "Answers in time, summed over rounds.", timings.answers),
    counter("late_answers_total", "Missed deadlines, summed over rounds.", timings.lateAnswers),
    counter("instructions_admitted_total", "Instructions admitted.", timings.instructions),
    counter("instructions_refused_total", "Instructions or answers refused.", timings.refused),
    gauge(
      "gateway_refused_frames",
      "Frames refused on the open miner connections.",
      miners.reduce((sum, miner) => sum + miner.refusedFrames, 0),
    ),
    gauge("feed_viewers", "Open connections to the public live feed.", feed.connectionCount),
    counter("feed_dropped_viewers_total", "Feed viewers dropped as too slow.", feed.droppedClients),
    perMiner("miner_fills", "Fills in this simulation.", (miner) => miner.fills),
    perMiner("miner_volume", "Quote volume over 24 simulated hours.", (miner) => miner.volume),
    perMiner("miner_realized_pnl", "Realised PnL, quote.", (miner) => miner.realizedPnl),
    perMiner("miner_score", "Trading score at the last scoring, 0 to 1.", (miner) => miner.score),
    perMiner("miner_weight", "Weight share at the last scoring, 0 to 1.", (miner) => miner.weight),
    perMiner(
      "miner_response_seconds",
      "Response time to the last state answered.",
      (miner) => miner.lastResponseMs === null ? null : miner.lastResponseMs / 1e3,
    ),
  ];
}
