import { deepEqual, equal, throws } from "node:assert/strict";
import type { Neuron, WeightsRow } from "@/server/chain/chain_client.ts";
import type { ConnectedMiner } from "@/server/gateway/gateway.ts";
import {
  formatPrometheus,
  histogramSamples,
  QUANTILE_WINDOW_ROUNDS,
  RoundTimings,
  validatorMetrics,
  type ValidatorSources,
  validatorStatus,
} from "@/server/metrics.ts";
import type { RoundReport } from "@/server/validator_loop.ts";

function report(round: number, totalMs: number, extra: Partial<RoundReport> = {}): RoundReport {
  return {
    round,
    timeNs: round * 1e9,
    miners: 2,
    responses: 2,
    late: 0,
    instructions: 3,
    refused: 1,
    events: 40,
    bytesPerMiner: 2048,
    totalMs,
    stepMs: 2,
    publishMs: 1,
    collectMs: totalMs / 2,
    ...extra,
  };
}

Deno.test("formatPrometheus() writes HELP, TYPE and samples with labels", () => {
  const text = formatPrometheus([
    { name: "marketforge_books", help: "Order books.", type: "gauge", samples: [{ value: 4 }] },
    {
      name: "marketforge_miner_fills",
      help: "Fills.",
      type: "gauge",
      samples: [{ labels: { uid: 1 }, value: 12 }, { labels: { uid: 7 }, value: 0 }],
    },
  ]);
  equal(
    text,
    "# HELP marketforge_books Order books.\n" +
      "# TYPE marketforge_books gauge\n" +
      "marketforge_books 4\n" +
      "# HELP marketforge_miner_fills Fills.\n" +
      "# TYPE marketforge_miner_fills gauge\n" +
      'marketforge_miner_fills{uid="1"} 12\n' +
      'marketforge_miner_fills{uid="7"} 0\n',
  );
});

Deno.test("formatPrometheus() escapes HELP text and label values", () => {
  const text = formatPrometheus([{
    name: "odd",
    help: "A back\\slash\nand a new line.",
    type: "untyped",
    samples: [{ labels: { path: 'C:\\dir "x"\nnext', b: "" }, value: 1 }],
  }]);
  equal(
    text,
    "# HELP odd A back\\\\slash\\nand a new line.\n" +
      "# TYPE odd untyped\n" +
      'odd{path="C:\\\\dir \\"x\\"\\nnext",b=""} 1\n',
  );
});

Deno.test("formatPrometheus() writes NaN and infinities as Prometheus reads them", () => {
  const text = formatPrometheus([{
    name: "values",
    help: "Special values.",
    type: "gauge",
    samples: [
      { labels: { k: "nan" }, value: NaN },
      { labels: { k: "up" }, value: Infinity },
      { labels: { k: "down" }, value: -Infinity },
      { labels: { k: "small" }, value: 1.5e-7 },
    ],
  }]);
  deepEqual(text.split("\n").slice(2, 6), [
    'values{k="nan"} NaN',
    'values{k="up"} +Inf',
    'values{k="down"} -Inf',
    'values{k="small"} 1.5e-7',
  ]);
});

Deno.test("formatPrometheus() refuses invalid and repeated names", () => {
  const family = (name: string, labels?: Record<string, string>) => ({
    name,
    help: "x",
    type: "gauge" as const,
    samples: [{ labels, value: 1 }],
  });
  throws(() => formatPrometheus([family("1st")]), /Cannot write metric "1st": invalid metric name/);
  throws(() => formatPrometheus([family("a-b")]), /invalid metric name/);
  throws(() => formatPrometheus([family("ok"), family("ok")]), /"ok": it is listed twice/);
  throws(
    () => formatPrometheus([family("ok", { "bad-label": "1" })]),
    /Cannot write label "bad-label": invalid label name/,
  );
  throws(() => formatPrometheus([family("ok", { __name__: "x" })]), /invalid label name/);
});

Deno.test("histogramSamples() writes cumulative buckets, +Inf, sum and count", () => {
  deepEqual(histogramSamples([0.1, 1], [2, 0, 1], 3.5), [
    { suffix: "_bucket", labels: { le: "0.1" }, value: 2 },
    { suffix: "_bucket", labels: { le: "1" }, value: 2 },
    { suffix: "_bucket", labels: { le: "+Inf" }, value: 3 },
    { suffix: "_sum", value: 3.5 },
    { suffix: "_count", value: 3 },
  ]);
});

Deno.test("RoundTimings.observe() counts rounds per bucket and sums their parts", () => {
  const timings = new RoundTimings();
  timings.observe(report(1, 4));
  timings.observe(report(2, 60));
  timings.observe(report(3, 20_000, { late: 2, responses: 0 }));
  equal(timings.rounds, 3);
  equal(timings.totalMs, 20_064);
  equal(timings.stepMs, 6);
  equal(timings.engineEvents, 120);
  equal(timings.answers, 4);
  equal(timings.lateAnswers, 2);
  // 4 ms ≤ 5 ms; 60 ms ≤ 100 ms; 20 s beyond the last bound (+Inf).
  deepEqual(timings.bucketCounts, [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
});

Deno.test("RoundTimings.quantileMs() takes the nearest rank over the recent window", () => {
  const timings = new RoundTimings();
  equal(timings.quantileMs(0.5), null);
  for (let round = 1; round <= 100; round++) timings.observe(report(round, round));
  equal(timings.quantileMs(0.5), 50);
  equal(timings.quantileMs(0.99), 99);
  equal(timings.quantileMs(1), 100);
  // Older rounds leave the window: after it fills with 1000 ms rounds, p50 is 1000.
  for (let round = 0; round < QUANTILE_WINDOW_ROUNDS; round++) timings.observe(report(round, 1000));
  equal(timings.windowRounds, QUANTILE_WINDOW_ROUNDS);
  equal(timings.quantileMs(0.01), 1000);
});

/** A validator with miners 1 (connected, scored) and 2 (funded, gone), and viewers. */
function fakeSources(): ValidatorSources {
  // Two rounds 500 wall ms apart, read 1 s after the first: 1 simulated s in 1 s.
  let wallMs = 0;
  const timings = new RoundTimings(() => wallMs);
  timings.observe(report(41, 30));
  wallMs = 500;
  timings.observe(report(42, 50));
  wallMs = 1000;
  const connected: ConnectedMiner[] = [{
    uid: 1,
    hotkey: "5Miner1",
    remoteAddress: "127.0.0.1",
    acceptedFrames: 40,
    refusedFrames: 3,
  }];
  const neurons: Neuron[] = ["5Validator", "5Miner1", "5Miner2"].map((hotkey, uid) => ({
    uid,
    hotkey,
    registeredAt: 0,
    validatorPermit: uid === 0,
    endpoint: null,
  }));
  const weights: WeightsRow[] = [{
    uid: 0,
    uids: [1, 2],
    weights: [60000, 5535],
    setAt: 1_700_000_000_000,
  }];
  return {
    loop: {
      roundNumber: 42,
      lastRound: report(42, 50),
      timings,
      fundedUids: [2, 1],
      scoring: {
        scores: [{
          uid: 1,
          kappa: 0.2,
          pnl: 0.1,
          trading: 0.25,
          realizedPnl: 5,
          fills: 9,
          weight: 0.9,
        }],
        weights: { uids: [1, 2], weights: [60000, 5535] },
        // Only the figures the dashboard reads (no pool splits).
      } as unknown as ValidatorSources["loop"]["scoring"],
      simulation: { id: "sim-1", seed: 7, index: 0, books: 2, startedAt: 1_700_000_000_000 },
      validatorHotkey: "5Validator",
      lastResponseMs: (uid) => uid === 1 ? 12.5 : undefined,
      ledger: {
        totals: (uid) =>
          uid === 1 ? { fills: 9, realizedPnl: 5.25 } : { fills: 2, realizedPnl: -1 },
        volume: (uid, bookId) => uid * 100 + bookId,
      },
    },
    gateway: { miners: connected },
    chain: {
      kind: "local",
      metagraph: () => Promise.resolve(neurons),
      weights: () => Promise.resolve(weights),
    },
    market: { bookCount: 2 },
    feed: { connectionCount: 5, droppedClients: 1 },
    simDurationSeconds: 3600,
  };
}

Deno.test("validatorStatus() lists every funded or connected miner with its figures", async () => {
  const status = await validatorStatus(fakeSources());
  equal(status.round, 42);
  equal(status.books, 2);
  equal(status.feedViewers, 5);
  deepEqual(status.timings, {
    rounds: 2,
    windowRounds: 2,
    p50Ms: 30,
    p99Ms: 50,
    meanStepMs: 2,
  });
  equal(status.simDurationSeconds, 3600);
  equal(status.simulation?.index, 0);
  deepEqual(status.speed, { simulatedSecondsPerSecond: 1, windowSeconds: 10 });
  deepEqual(status.miners, [
    {
      uid: 1,
      hotkey: "5Miner1",
      connected: true,
      lastResponseMs: 12.5,
      fills: 9,
      realizedPnl: 5.25,
      volume: 201,
      score: 0.25,
      weight: 0.9,
      refusedFrames: 3,
    },
    {
      uid: 2,
      hotkey: "5Miner2",
      connected: false,
      lastResponseMs: null,
      fills: 2,
      realizedPnl: -1,
      volume: 401,
      score: null,
      weight: null,
      refusedFrames: 0,
    },
  ]);
  deepEqual(status.chain, {
    kind: "local",
    validatorHotkey: "5Validator",
    validatorUid: 0,
    neurons: 3,
    weightsSetAt: 1_700_000_000_000,
    weightsOnChain: 2,
    weightsComputed: 2,
    metagraphSync: null,
  });
});

Deno.test("validatorStatus() reports a remote chain's last metagraph sync", async () => {
  const sources = fakeSources();
  const sync = { atMs: 1_700_000_123_000, block: 4321 };
  sources.chain = { ...sources.chain, kind: "subtensor", lastSync: () => sync };
  deepEqual((await validatorStatus(sources)).chain.metagraphSync, sync);
});

Deno.test("validatorMetrics() exports aggregates and per-miner gauges labelled by UID only", () => {
  const text = formatPrometheus(validatorMetrics(fakeSources()));
  const lines = text.split("\n");
  for (
    const line of [
      "marketforge_round 42",
      "marketforge_simulation_index 0",
      "marketforge_simulation_duration_seconds 3600",
      "marketforge_simulated_seconds_per_second 1",
      'marketforge_round_phase_seconds_total{phase="step"} 0.004',
      "marketforge_books 2",
      "marketforge_miners_connected 1",
      "marketforge_miners_answering 2",
      "marketforge_miners_late 0",
      "marketforge_round_engine_events 40",
      "marketforge_engine_events_total 80",
      "marketforge_feed_viewers 5",
      "marketforge_gateway_refused_frames 3",
      'marketforge_round_duration_seconds_bucket{le="0.05"} 2',
      'marketforge_round_duration_seconds_bucket{le="+Inf"} 2',
      "marketforge_round_duration_seconds_sum 0.08",
      "marketforge_round_duration_seconds_count 2",
      'marketforge_miner_fills{uid="1"} 9',
      'marketforge_miner_fills{uid="2"} 2',
      'marketforge_miner_realized_pnl{uid="2"} -1',
      'marketforge_miner_score{uid="1"} 0.25',
      'marketforge_miner_response_seconds{uid="1"} 0.0125',
      "# TYPE marketforge_round_duration_seconds histogram",
      "# TYPE marketforge_engine_events_total counter",
    ]
  ) {
    equal(lines.includes(line), true, `missing "${line}" in:\n${text}`);
  }
  // Miners without a score or an answer have no such sample.
  equal(text.includes('marketforge_miner_score{uid="2"}'), false);
  equal(text.includes('marketforge_miner_response_seconds{uid="2"}'), false);
  // Every labelled sample is labelled by uid (or le/phase for the aggregates).
  for (const match of text.matchAll(/\{(\w+)=/g)) {
    equal(["uid", "le", "phase"].includes(match[1]), true, match[0]);
  }
});
