/**
 * End to end: forecast rounds over the real miner gateway (WebSocket on
 * 127.0.0.1, sr25519 hotkeys, signed response frames) with demo forecast
 * miners — naive, damped-trend smoothing, a copier that takes the smoothing
 * miner's forecast before committing, a cheat that commits to one forecast
 * and reveals another, one that reveals 3 closes where 100 are asked, and a
 * silent one — on the synthetic kline fixture
 * (tests/fixtures/klines_synthetic_5m.csv) released by a test clock. After
 * a "downtime" that lets three requests mature, a restarted pool scores the
 * whole backlog in one tick.
 */
import { equal, ok } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { stringToU8a } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import type { Agent } from "@/engine/agent/agent.ts";
import naiveForecaster from "@/engine/agents/forecast_naive.ts";
import smoothingForecaster from "@/engine/agents/forecast_smoothing.ts";
import { forecastCommitment } from "@/engine/forecast/commit_reveal.ts";
import { naiveForecast } from "@/engine/forecast/forecast_error.ts";
import { answerForecasts, requestHistory } from "@/engine/forecast/forecast_responder.ts";
import { FORECAST_ONLY_CONFIG } from "@/engine/forecast/forecast_request.ts";
import { MinerClient } from "@/engine/gateway/miner_client.ts";
import { ForecastPool } from "@/server/forecast/forecast_pool.ts";
import { predictionsOf, readLedger } from "@/server/forecast/forecast_store.ts";
import { CsvKlineStream } from "@/server/forecast/kline_csv.ts";
import { MinerGateway } from "@/server/gateway/gateway.ts";
import { SessionRegistry } from "@/server/gateway/session_registry.ts";
import { repoPath } from "@/server/paths.ts";

await cryptoWaitReady();
const keyring = new Keyring({ type: "sr25519" });
const validator = keyring.addFromUri("//Alice");
const names = ["Bob", "Charlie", "Dave", "Eve", "Ferdie", "Mallory"] as const;
const keys = Object.fromEntries(names.map((name) => [name, keyring.addFromUri(`//${name}`)]));
const uids = new Map(names.map((name, i) => [keys[name].address, i + 1]));
const context = { uid: 0, params: {}, seed: 1, config: FORECAST_ONLY_CONFIG };

function connect(url: string, pair: KeyringPair) {
  return MinerClient.connect({
    url,
    hotkey: pair.address,
    signGrant: (message) => Promise.resolve(pair.sign(stringToU8a(message))),
  });
}

Deno.test("a forecast round: smoothing beats naive, copies split one reward, cheats and silence score worst", async () => {
  const kv = await Deno.openKv(":memory:");
  const gateway = new MinerGateway({
    registry: new SessionRegistry({
      validatorHotkey: validator.address,
      uidOf: (hotkey) => Promise.resolve(uids.get(hotkey)),
    }),
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => gateway.upgrade(request, "127.0.0.1"),
  );
  const url = `ws://127.0.0.1:${server.addr.port}`;
  const fixture = await CsvKlineStream.open(repoPath("tests/fixtures/klines_synthetic_5m.csv"));
  let now = fixture.all[599].closeTime;
  const stream = new CsvKlineStream(fixture.all, { id: "BTCUSD-5m", now: () => now });
  const poolOptions = {
    kv,
    gateway,
    streams: [stream],
    validatorHotkey: validator.address,
    seed: 7,
    cadenceMs: 30 * 60_000,
    commitTimeoutMs: 1500,
    revealTimeoutMs: 1500,
  };
  const clients: MinerClient[] = [];
  try {
    // The smoothing miner publishes its forecasts to the copier (collusion out of band).
    const published = new Map<number, Promise<number[]>>();
    const smoothing = smoothingForecaster(context);
    const sharing: Agent = {
      respond() {},
      forecast(request) {
        const result = Promise.resolve(smoothing.forecast!(request));
        published.set(request.history.at(-1)!.closeTime, result);
        return result;
      },
    };
    const copier: Agent = {
      respond() {},
      async forecast(request) {
        const origin = request.history.at(-1)!.closeTime;
        while (!published.has(origin)) await new Promise((resolve) => setTimeout(resolve, 5));
        return [...await published.get(origin)!];
      },
    };
    const outcomes: number[][] = [];
    const bob = await connect(url, keys.Bob);
    answerForecasts(bob, naiveForecaster(context), {
      onOutcome: (_id, closes) => outcomes.push(closes),
    });
    const charlie = await connect(url, keys.Charlie);
    answerForecasts(charlie, sharing);
    const dave = await connect(url, keys.Dave);
    answerForecasts(dave, copier);
    // Eve commits to naive, then reveals the smoothing miner's forecast.
    const eve = await connect(url, keys.Eve);
    eve.onFrame(async (frame) => {
      if (frame.t === "forecast") {
        const closes = frame.history.close;
        const commitment = await forecastCommitment(
          eve.hotkey,
          naiveForecast(closes[closes.length - 1], frame.horizon),
        );
        await eve.send(encode({ forecast: frame.id, commitment }));
      } else if (frame.t === "reveal") {
        const origin = Number(frame.id.split("@")[1]);
        await eve.send(encode({ forecast: frame.id, predictions: await published.get(origin)! }));
      }
    });
    const ferdie = await connect(url, keys.Ferdie); // silent: connected, never answers
    // Mallory commits to and reveals 3 closes where 100 are asked: malformed.
    const mallory = await connect(url, keys.Mallory);
    const short = [1, 2, 3];
    mallory.onFrame(async (frame) => {
      if (frame.t === "forecast") {
        const commitment = await forecastCommitment(mallory.hotkey, short);
        await mallory.send(encode({ forecast: frame.id, commitment }));
      } else if (frame.t === "reveal") {
        await mallory.send(encode({ forecast: frame.id, predictions: short }));
      }
    });
    clients.push(bob, charlie, dave, eve, ferdie, mallory);

    const pool = new ForecastPool(poolOptions);
    // Training data on request (TSPS's TrainingForward): the candles released so far.
    const stopHistory = pool.serveHistory();
    const training = await requestHistory(bob, "BTCUSD-5m", fixture.all[99].closeTime);
    equal(training.length, 500);
    equal(training[0].closeTime, fixture.all[100].closeTime);
    equal(training.at(-1)!.close, fixture.all[599].close);
    equal((await requestHistory(bob, "no-such-stream", 0)).length, 0);
    stopHistory();
    const first = await pool.tick();
    equal(first.asked.length, 1);
    equal(first.asked[0].asked.length, 6);
    const reasons = new Map(
      (await predictionsOf(kv, first.asked[0].id)).map((p) => [uids.get(p.hotkey), p.reason]),
    );
    equal(reasons.get(1), "ok");
    equal(reasons.get(2), "ok");
    equal(reasons.get(3), "ok");
    equal(reasons.get(4), "mismatch", "commit-reveal rejects a reveal that differs from its hash");
    equal(reasons.get(5), "missing");
    equal(reasons.get(6), "malformed", "3 closes where 100 were asked");
    equal((await pool.tick()).asked.length, 0, "not due again within the cadence");
    for (let i = 0; i < 2; i++) {
      now += 30 * 60_000;
      equal((await pool.tick()).asked.length, 1);
    }

    // Downtime: 100 more candles close; a fresh pool on the same KV scores the whole backlog.
    now += 110 * 5 * 60_000;
    const restarted = new ForecastPool(poolOptions);
    const { scored } = await restarted.tick();
    equal(scored.length, 3, "every matured request in one tick");
    for (const record of scored) {
      equal(record.status, "scored");
      equal(record.actual!.length, 100);
      const by = new Map(record.scores!.map((s) => [uids.get(s.hotkey), s]));
      ok(by.get(2)!.skill > 0, `smoothing beats naive on ${record.id}`);
      equal(by.get(1)!.skill, 0, "naive earns nothing");
      equal(by.get(4)!.skill, 0);
      equal(by.get(5)!.skill, 0);
      equal(by.get(6)!.skill, 0);
      // The copy is caught: the smoothing miner and its copier share one reward.
      equal(by.get(3)!.skill, by.get(2)!.skill);
      equal(by.get(2)!.share + by.get(3)!.share, by.get(2)!.skill);
      equal(by.get(3)!.copies?.length, 2);
    }
    const ledger = [...(await readLedger(kv)).values()];
    const value = (uid: number) => ledger.find((e) => uids.get(e.hotkey) === uid)!.value;
    ok(value(2) > 0);
    equal(
      value(2),
      value(3),
      "the copier gains nothing over its source, and adds nothing to the pair",
    );
    equal(value(1), 0);
    equal(value(4), 0);
    equal(value(5), 0);
    equal(value(6), 0);
    deepOrder(restarted.leaderboard().map((e) => uids.get(e.hotkey)!), [2, 3], [1, 4, 5, 6]);
    const input = restarted.poolInput(7)!;
    equal(input.scores[2], value(2));
    equal(input.participation, 3 / 6);
    // The realised closes went back (TSPS LiveBackward).
    for (let i = 0; i < 50 && outcomes.length < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    equal(outcomes.length, 3);
    equal(outcomes[0].length, 100);
  } finally {
    for (const client of clients) client.close();
    gateway.close();
    await server.shutdown();
    kv.close();
  }
});

/** The first group (in any order) precedes the second. */
function deepOrder(order: number[], top: number[], rest: number[]) {
  equal(new Set(order.slice(0, top.length)).symmetricDifference(new Set(top)).size, 0, `${order}`);
  equal(new Set(order.slice(top.length)).symmetricDifference(new Set(rest)).size, 0, `${order}`);
}
