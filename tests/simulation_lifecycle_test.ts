/**
 * Integration: a simulation's life on a real validator — it ends with ESE
 * after its duration and the next one starts on a derived seed with fresh
 * capital and ESS + config; a UID that changes hands is reset in the
 * engine, its old holder disconnected and its new holder told with RDRA;
 * and a restart on the same data folder resumes both exactly.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { stringToU8a } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { MinerClient } from "@/engine/gateway/miner_client.ts";
import { decodeStateUpdate, type StateUpdate } from "@/engine/protocol/state_update.ts";
import { parseConfig } from "@/server/config.ts";
import { startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { loadAgent, parseParams } from "@/server/miner/main.ts";
import { registerHotkey, replaceHotkey } from "@/server/store/metagraph.ts";
import { simulationSeed } from "@/server/store/simulation_log.ts";
import { startValidator, type Validator } from "@/server/validator.ts";

await cryptoWaitReady();
const keyring = new Keyring({ type: "sr25519" });

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function validatorOn(dataDir: string, extra: string[] = []): Promise<Validator> {
  const args = ["--port", "0", "--data", dataDir, "--books", "2", "--demo-miners", "0"];
  const timing = ["--step-ms", "10", "--response-timeout-ms", "200", "--seed", "3"];
  return startValidator(parseConfig([...args, ...timing, ...extra], () => undefined), () => {});
}

/** A miner that records every state and answers none (its accounts only move by resets). */
async function listener(validator: Validator, pair: KeyringPair) {
  const states: { step: number; state: StateUpdate }[] = [];
  const client = await MinerClient.connect({
    url: validator.url.replace("http", "ws") + "/api/miner/ws",
    hotkey: pair.address,
    signGrant: (message) => Promise.resolve(pair.sign(stringToU8a(message))),
    onState: (step, body) => states.push({ step, state: decodeStateUpdate(body) }),
  });
  return { client, states };
}

/** Every account of `uid` in the engine, for comparing a state before and after. */
function accounts(validator: Validator, uid: number) {
  return [0, 1].map((bookId) => validator.market.engine.account(uid, bookId));
}

Deno.test("a simulation ends with ESE and the next starts on a derived seed with fresh capital, ESS and the config", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-lifecycle-" });
  const duration = ["--sim-duration-seconds", "25", "--grace-seconds", "3"];
  const pair = keyring.addFromUri("//Ferdie");
  let validator = await validatorOn(dataDir, duration);
  try {
    const uid = await registerHotkey(validator.kv, pair.address);
    const { client, states } = await listener(validator, pair);
    const ended = () => states.findIndex(({ state }) => state.notices.some((n) => n.y === "ESE"));
    await until(() => ended() >= 0 && states.length > ended() + 1, 30_000, "a second simulation");
    client.close();

    const last = states[ended()];
    equal(last.step, 25, "ESE comes with the simulation's last round");
    const first = states[ended() + 1];
    equal(first.step, 4, "the new simulation counts rounds from 1, serving none in its 3 s grace");
    equal(first.state.notices[0]?.y, "ESS");
    equal(first.state.config?.duration, 25e9);
    ok(first.state.timestamp < last.state.timestamp, "the new market's clock starts over");

    equal(validator.loop.simulationIndex, 1);
    equal(validator.loop.simulation?.seed, simulationSeed(3, 1));
    // Fresh capital from the new seed, not what the first simulation gave.
    const before = states[0].state.accounts[0];
    const after = first.state.accounts[0];
    equal(after.bb.t + after.qb.t > 0, true);
    ok(
      after.bb.t !== before.bb.t || after.qb.t !== before.qb.t,
      "the new simulation's split differs from the first's",
    );
    equal(validator.loop.ledger.totals(uid).fills, 0);

    // A restart resumes simulation 1 (not 0 again), on its own seed.
    await validator.shutdown();
    validator = await validatorOn(dataDir, duration);
    equal(validator.loop.simulationIndex, 1);
    equal(validator.loop.simulation?.seed, simulationSeed(3, 1));
  } finally {
    await validator.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a UID that changes hands is reset: old holder disconnected, new holder told with RDRA, fresh capital, replayed on restart", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-dereg-" });
  const dave = keyring.addFromUri("//Dave");
  const eve = keyring.addFromUri("//Eve");
  let validator = await validatorOn(dataDir);
  try {
    await registerHotkey(validator.kv, keyring.addFromUri("//Ferdie").address);
    const uid = await registerHotkey(validator.kv, dave.address);
    const maker = startHeadlessMiner({
      url: validator.url.replace("http", "ws") + "/api/miner/ws",
      hotkey: dave,
      agent: await loadAgent("engine/agents/random_maker.ts"),
      params: parseParams(["volume=0.5"]),
      log: () => {},
    });
    await maker.ready;
    await until(
      () => accounts(validator, uid).some((account) => (account?.openOrders ?? 0) > 0),
      20_000,
      "Dave's resting orders",
    );
    const firstSplit = validator.loop.startingBalances(uid);

    // Subtensor prunes Dave and registers Eve on the same UID.
    await replaceHotkey(validator.kv, uid, eve.address);
    const { client, states } = await listener(validator, eve);
    await until(() => states.length >= 2, 20_000, "Eve's states");
    ok(
      validator.gateway.sessions.every((session) => session.hotkey !== dave.address),
      "Dave, deregistered, holds no session",
    );
    maker.stop();
    client.close();

    const notices = states.flatMap(({ state }) => state.notices.map((notice) => notice.y));
    equal(notices[0], "ESS", "the new holder's first state opens the simulation for it");
    ok(notices.includes("RDRA"), `Eve is told of the reset: ${notices.join(" ")}`);
    ok(states[0].state.config !== undefined);
    // Eve's accounts: a fresh split of the same wealth, nothing resting.
    const own = states.at(-1)!.state.accounts;
    for (const bookId of [0, 1]) equal(own[bookId].o.length, 0);
    const split = validator.loop.startingBalances(uid);
    ok(JSON.stringify(split) !== JSON.stringify(firstSplit), "the reset draws a new split");
    const engineAccounts = accounts(validator, uid);
    engineAccounts.forEach((account, bookId) => {
      equal(account?.baseTotal, split[bookId].baseLots);
      equal(account?.quoteTotal, split[bookId].quoteUnits);
    });
    equal(validator.loop.ledger.totals(uid).fills, 0);

    // The reset is in the log: a restart replays it to the same accounts.
    await validator.shutdown();
    validator = await validatorOn(dataDir);
    deepEqual(accounts(validator, uid), engineAccounts);
    deepEqual(validator.loop.startingBalances(uid), split);
  } finally {
    await validator.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});
