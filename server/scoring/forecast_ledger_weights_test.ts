/**
 * Forecasts feed weights: real forecast ledger values — miners answering a
 * ForecastPool over the fake gateway, requests scored against realised
 * candles and kept in Deno KV — reach the u16 weights set_weights carries
 * through the scoring module and engine/scoring/pools.ts.
 */
import { equal, ok } from "node:assert/strict";
import { ForecastPool } from "@/server/forecast/forecast_pool.ts";
import { readLedger } from "@/server/forecast/forecast_store.ts";
import { CsvKlineStream } from "@/server/forecast/kline_csv.ts";
import { createScoringModule } from "@/server/scoring/scoring_modules.ts";
import { TradingLedger } from "@/server/scoring/trading_ledger.ts";
import {
  driftForecast,
  FAKE_DRIFT,
  FAKE_INTERVAL_MS,
  FakeForecastGateway,
  trendingCandles,
} from "@/tests/forecast_fakes.ts";

const UID_COUNT = 5;
const REQUESTS = 3;

Deno.test("miners with identical trading end in weight order of their forecast skill", async () => {
  const kv = await Deno.openKv(":memory:");
  let now = 600 * FAKE_INTERVAL_MS;
  const stream = new CsvKlineStream(trendingCandles(1200, 21), { id: "BTCUSD-5m", now: () => now });
  const gateway = new FakeForecastGateway([
    { hotkey: "follows-trend", uid: 1, forecast: (r) => driftForecast(r, FAKE_DRIFT) },
    { hotkey: "half-trend", uid: 2, forecast: (r) => driftForecast(r, FAKE_DRIFT / 2) },
    { hotkey: "naive", uid: 3, forecast: (r) => driftForecast(r, 0) },
  ]);
  const pool = new ForecastPool({
    kv,
    gateway,
    streams: [stream],
    validatorHotkey: "validator",
    seed: 1,
    commitTimeoutMs: 300,
    revealTimeoutMs: 300,
  });
  try {
    for (let i = 0; i < REQUESTS; i++) {
      equal((await pool.tick()).asked.length, 1);
      now += 30 * 60_000;
    }
    now += 100 * FAKE_INTERVAL_MS;
    equal((await pool.tick()).scored.length, REQUESTS);
    const stored = await readLedger(kv);
    ok(stored.get("follows-trend")!.value > stored.get("half-trend")!.value);
    ok(stored.get("half-trend")!.value > 0);
    equal(stored.get("naive")!.value, 0);

    // Identical trading: none of them traded (rank-Pareto shaping breaks ties
    // by UID, so equal non-zero trading scores would not weigh equally).
    const trading = new TradingLedger([{ priceDecimals: 2, volumeDecimals: 4 }]);
    const scorer = createScoringModule("kappa", {
      forecast: (uidCount) => pool.poolInput(uidCount),
    });
    const round = scorer.score(trading, [1, 2, 3], 1, UID_COUNT);
    const weightOf = (uid: number) => round.weights.weights[round.weights.uids.indexOf(uid)] ?? 0;
    equal(round.scores.every((score) => score.trading === 0), true);
    ok(weightOf(1) > weightOf(2), `u16 weights ${round.weights.weights}`);
    ok(weightOf(2) > 0);
    equal(weightOf(3), 0, "naive earns no forecast weight");
    // The u16 weights keep the ledger's proportions (up to rounding to u16).
    const ratio = stored.get("follows-trend")!.value / stored.get("half-trend")!.value;
    ok(Math.abs(weightOf(1) / weightOf(2) - ratio) < 1e-3 * ratio, `${ratio}`);

    // Without the forecast pool the same trading gives them nothing to tell apart.
    const alone = createScoringModule("kappa").score(trading, [1, 2, 3], 1, UID_COUNT);
    const aloneOf = (uid: number) => alone.weights.weights[alone.weights.uids.indexOf(uid)] ?? 0;
    equal(aloneOf(1), aloneOf(2));
  } finally {
    kv.close();
  }
});
