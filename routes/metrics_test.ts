import { equal, match } from "node:assert/strict";
import { Hono } from "hono";
import { RoundTimings } from "@/server/metrics.ts";
import type { AppEnv, Services } from "@/server/web_context.ts";
import { GET as getMetrics } from "@/routes/metrics.ts";
import { GET as getValidator } from "@/routes/api/validator.ts";

/** The routes over a validator with no miners yet, its first round run. */
function app(): Hono<AppEnv> {
  const timings = new RoundTimings();
  const lastRound = {
    round: 1,
    timeNs: 1e9,
    miners: 0,
    responses: 0,
    late: 0,
    instructions: 0,
    refused: 0,
    events: 17,
    bytesPerMiner: 0,
    totalMs: 2,
    publishMs: 0,
    collectMs: 0,
  };
  timings.observe(lastRound);
  const services = {
    loop: {
      roundNumber: 1,
      lastRound,
      timings,
      fundedUids: [],
      scoring: null,
      simulation: null,
      validatorHotkey: "5Validator",
      lastResponseMs: () => undefined,
      ledger: { totals: () => ({ fills: 0, realizedPnl: 0 }), volume: () => 0 },
    },
    gateway: { miners: [] },
    chain: {
      kind: "local",
      metagraph: () => Promise.resolve([]),
      weights: () => Promise.resolve([]),
    },
    market: { bookCount: 3 },
    feed: { connectionCount: 0, droppedClients: 0 },
  } as unknown as Services;
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set("services", services);
      await next();
    })
    .get("/metrics", getMetrics)
    .get("/api/validator", getValidator);
}

Deno.test("GET /metrics answers in Prometheus's text format", async () => {
  const response = await app().request("/metrics");
  equal(response.status, 200);
  equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await response.text();
  match(text, /^# HELP marketforge_round /);
  match(text, /\nmarketforge_books 3\n/);
  match(text, /\nmarketforge_round_engine_events 17\n/);
  match(text, /\nmarketforge_round_duration_seconds_count 1\n/);
});

Deno.test("GET /api/validator answers the dashboard's status as JSON", async () => {
  const response = await app().request("/api/validator");
  equal(response.status, 200);
  const status = await response.json();
  equal(status.round, 1);
  equal(status.books, 3);
  equal(status.miners.length, 0);
  equal(status.chain.validatorUid, null);
  equal(status.timings.p50Ms, 2);
});
