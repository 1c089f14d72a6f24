import { deepEqual, equal, ok } from "node:assert/strict";
import { tspsShares } from "@/engine/forecast/loss_normalization.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { ForecastPool, type ForecastPoolOptions } from "@/server/forecast/forecast_pool.ts";
import { predictionsOf, readLedger } from "@/server/forecast/forecast_store.ts";
import { CsvKlineStream } from "@/server/forecast/kline_csv.ts";
import {
  driftForecast,
  FAKE_DRIFT,
  FAKE_INTERVAL_MS,
  type FakeForecaster,
  FakeForecastGateway,
  FlakyStream,
  lastCloseOf,
  trendingCandles,
} from "@/tests/forecast_fakes.ts";

const HORIZON = 100;

/** A pool over fake miners and streams of seeded trending candles, on a test clock. */
async function setup(
  miners: FakeForecaster[],
  streamIds: string[],
  options: Partial<ForecastPoolOptions> = {},
) {
  const kv = await Deno.openKv(":memory:");
  const clock = { now: 600 * FAKE_INTERVAL_MS };
  const streams = streamIds.map((id, i) =>
    new FlakyStream(new CsvKlineStream(trendingCandles(1000, 11 + i), { id, now: () => clock.now }))
  );
  const gateway = new FakeForecastGateway(miners);
  const log: string[] = [];
  const pool = new ForecastPool({
    kv,
    gateway,
    streams,
    validatorHotkey: "validator",
    seed: 1,
    commitTimeoutMs: 300,
    revealTimeoutMs: 300,
    log: (line) => log.push(line),
    ...options,
  });
  /** Moves the clock past the horizon of everything asked so far. */
  const mature = () => clock.now += (HORIZON + 1) * FAKE_INTERVAL_MS;
  return { kv, clock, streams, gateway, log, pool, mature };
}

const miner = (uid: number, forecast: FakeForecaster["forecast"]): FakeForecaster => ({
  hotkey: `miner-${uid}`,
  uid,
  forecast,
});

Deno.test("one stream's failing source does not stop the others; it is retried next tick", async () => {
  const { kv, streams, log, pool, mature } = await setup(
    [miner(1, (r) => driftForecast(r, FAKE_DRIFT)), miner(2, (r) => driftForecast(r, 0))],
    ["good", "flaky"],
  );
  const [, flaky] = streams;
  try {
    flaky.failing = true;
    const first = await pool.tick();
    deepEqual(first.asked.map((record) => record.stream), ["good"]);
    deepEqual(log.filter((line) => line.includes("flaky")), [
      "Forecast stream flaky not asked, retrying on the next tick: Cannot fetch flaky: source unreachable",
    ]);

    flaky.failing = false;
    const second = await pool.tick();
    deepEqual(second.asked.map((record) => record.stream), ["flaky"], "asked once it is back");

    // Both requests mature while the flaky source is down again: the good one is scored.
    mature();
    flaky.failing = true;
    const third = await pool.tick();
    deepEqual(third.scored.map((record) => record.stream), ["good"]);
    deepEqual(third.asked.map((record) => record.stream), ["good"]);
    ok(log.includes(
      "Forecast stream flaky not scored, retrying on the next tick: Cannot fetch flaky: source unreachable",
    ));

    flaky.failing = false;
    const fourth = await pool.tick();
    deepEqual(fourth.scored.map((record) => record.stream), ["flaky"], "scored once it is back");
    equal(fourth.scored[0].status, "scored");
    const ledger = await readLedger(kv);
    ok(ledger.get("miner-1")!.value > 0);
    equal(ledger.get("miner-2")!.value, 0, "naive earns nothing");
  } finally {
    kv.close();
  }
});

Deno.test("a pool given log: undefined (ForecastService without a log) asks, reports failures and scores", async () => {
  const { kv, streams, pool, mature } = await setup(
    [miner(1, (r) => driftForecast(r, FAKE_DRIFT))],
    ["good", "flaky"],
    { log: undefined },
  );
  try {
    streams[1].failing = true;
    deepEqual((await pool.tick()).asked.map((record) => record.stream), ["good"]);
    mature();
    deepEqual((await pool.tick()).scored.map((record) => record.stream), ["good"]);
  } finally {
    kv.close();
  }
});

Deno.test("perturbed copies are caught in the pool: the copiers gain nothing, a different model keeps its skill", async () => {
  const noise = new SeededRandom(3);
  const trend = (r: Parameters<FakeForecaster["forecast"]>[0]) => driftForecast(r, FAKE_DRIFT);
  const { kv, pool, mature } = await setup([
    miner(1, trend),
    // Scales the honest miner's predicted move by 1.001.
    miner(2, (r) => trend(r).map((close) => lastCloseOf(r) + 1.001 * (close - lastCloseOf(r)))),
    // Adds seeded noise of 3% of a candle's std (0.3).
    miner(3, (r) => trend(r).map((close) => close + 0.01 * noise.normal())),
    // A different model: a trend 30% weaker.
    miner(4, (r) => driftForecast(r, 0.7 * FAKE_DRIFT)),
  ], ["BTCUSD-5m"]);
  try {
    const [asked] = (await pool.tick()).asked;
    deepEqual((await predictionsOf(kv, asked.id)).map((p) => p.reason), ["ok", "ok", "ok", "ok"]);
    mature();
    const [scored] = (await pool.tick()).scored;
    const by = new Map(scored.scores!.map((score) => [score.uid, score]));
    const group = [1, 2, 3];
    for (const uid of group) {
      deepEqual(by.get(uid)!.copies, ["miner-1", "miner-2", "miner-3"], `uid ${uid}`);
    }
    equal(by.get(4)!.copies, undefined, "a genuinely different forecast is not flagged");
    ok(by.get(1)!.skill > 0);
    const lowest = Math.min(...group.map((uid) => by.get(uid)!.skill));
    const paid = group.reduce((sum, uid) => sum + by.get(uid)!.share, 0);
    ok(Math.abs(paid - lowest) < 1e-12, "three hotkeys earn one reward, the group's lowest");
    for (const uid of [2, 3]) ok(by.get(uid)!.share < by.get(uid)!.skill / 2);
    equal(by.get(4)!.share, by.get(4)!.skill);
    const ledger = await readLedger(kv);
    equal(ledger.get("miner-2")!.value, ledger.get("miner-1")!.value);
    equal(ledger.get("miner-3")!.value, ledger.get("miner-1")!.value);
  } finally {
    kv.close();
  }
});

Deno.test('scoring "tsps" pays TSPS\'s normalised shares; the default pays skill against naive', async () => {
  const miners = [
    miner(1, (r) => driftForecast(r, FAKE_DRIFT)),
    miner(2, (r) => driftForecast(r, FAKE_DRIFT / 2)),
    miner(3, (r) => driftForecast(r, 0)), // naive
    miner(4, (r) => driftForecast(r, -FAKE_DRIFT)), // worse than naive
    miner(5, () => null), // silent
  ];
  const shares = new Map<string, Map<number, number>>();
  for (const scoring of ["skill", "tsps"] as const) {
    const { kv, pool, mature } = await setup(miners, ["BTCUSD-5m"], { scoring });
    try {
      const [asked] = (await pool.tick()).asked;
      mature();
      const [scored] = (await pool.tick()).scored;
      shares.set(scoring, new Map(scored.scores!.map((score) => [score.uid, score.share])));
      const ledger = await readLedger(kv);
      if (scoring === "tsps") {
        const valid = new Map(
          (await predictionsOf(kv, asked.id)).flatMap((p) =>
            p.predictions === null ? [] : [[p.hotkey, p.predictions] as const]
          ),
        );
        deepEqual(
          new Map([...shares.get("tsps")!].filter(([uid]) => uid !== 5)),
          new Map([...tspsShares(valid, scored.actual!)].map(([hotkey, share]) => [
            Number(hotkey.split("-")[1]),
            share,
          ])),
        );
        // TSPS left non-responders out: a new silent miner has no ledger entry.
        equal(ledger.has("miner-5"), false);
      } else {
        equal(ledger.get("miner-5")!.value, 0);
      }
    } finally {
      kv.close();
    }
  }
  const skill = shares.get("skill")!;
  const tsps = shares.get("tsps")!;
  ok(skill.get(1)! > skill.get(2)! && skill.get(2)! > 0);
  deepEqual([skill.get(3), skill.get(4), skill.get(5)], [0, 0, 0]);
  ok(tsps.get(1)! > tsps.get(2)! && tsps.get(2)! > tsps.get(3)!);
  ok(tsps.get(3)! > 0, "TSPS pays naive for beating a worse miner");
  deepEqual([tsps.get(4), tsps.get(5)], [0, 0]);
  const total = [...tsps.values()].reduce((sum, share) => sum + share, 0);
  ok(Math.abs(total - 1) <= 2e-4, `TSPS shares sum to 1 up to rounding: ${total}`);
});
