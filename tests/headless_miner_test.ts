/**
 * Integration: headless miners (example agents, dev hotkeys) connect to a
 * real validator, receive its state updates and trade through the validator
 * loop: their instructions pass the filter, reach the exchange with their
 * latency, and their accounts and fills stay consistent.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { stringToU8a } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { encode } from "@msgpack/msgpack";
import { createSessionKey, signFrame } from "@/engine/auth/session_key.ts";
import { MinerClient } from "@/engine/gateway/miner_client.ts";
import { decodeStateUpdate, type StateUpdate } from "@/engine/protocol/state_update.ts";
import { parseConfig } from "@/server/config.ts";
import { type HeadlessMiner, startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { loadAgent, parseParams } from "@/server/miner/main.ts";
import { RECENT_FILLS } from "@/server/scoring/trading_ledger.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";
import { startValidator, type Validator } from "@/server/validator.ts";

await cryptoWaitReady();

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A validator on 2 books with two headless miners trading: Dave's random
 * maker and Eve's random taker; `test` gets them once both are connected.
 */
async function withTraders(
  extraArgs: string[],
  test: (validator: Validator, traders: {
    maker: MinerClient;
    taker: MinerClient;
    miners: HeadlessMiner[];
  }) => Promise<void>,
): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-miner-" });
  const validator = await startValidator(
    parseConfig(
      ["--port", "0", "--data", dataDir, "--books", "2", "--demo-miners", "0", ...extraArgs],
      () => undefined,
    ),
    () => {},
  );
  const keyring = new Keyring({ type: "sr25519" });
  const url = validator.url.replace("http", "ws") + "/api/miner/ws";
  const miners: HeadlessMiner[] = [];
  try {
    for (
      const [name, agent, params] of [
        ["//Dave", "engine/agents/random_maker.ts", ["volume=0.5"]],
        ["//Eve", "engine/agents/random_taker.ts", ["volume=0.5", "probability=1"]],
      ] as const
    ) {
      const hotkey = keyring.addFromUri(name);
      await registerHotkey(validator.kv, hotkey.address);
      miners.push(startHeadlessMiner({
        url,
        hotkey,
        agent: await loadAgent(agent),
        params: parseParams([...params]),
        log: () => {},
      }));
    }
    const [maker, taker] = await Promise.all(miners.map((miner) => miner.ready));
    await test(validator, { maker, taker, miners });
  } finally {
    for (const miner of miners) miner.stop();
    await validator.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
}

Deno.test("headless miners trade through the validator loop with consistent accounts", async () => {
  await withTraders(["--step-ms", "20"], async (validator, { maker, taker, miners }) => {
    await until(
      () => validator.loop.ledger.totals(taker.uid).fills >= 5,
      20_000,
      "the taker's fills",
    );
    const report = validator.loop.lastRound!;
    equal(report.miners, 2);
    equal(report.late, 0);
    equal(miners.every((miner) => miner.responses > 0), true);

    const engine = validator.market.engine;
    engine.checkInvariants();
    for (const uid of [maker.uid, taker.uid]) {
      for (const bookId of [0, 1]) {
        const account = engine.account(uid, bookId)!;
        equal(account.baseTotal, account.baseFree + account.baseReserved);
        equal(account.quoteTotal, account.quoteFree + account.quoteReserved);
        equal(account.baseFree >= 0 && account.quoteFree >= 0, true);
      }
    }
    // The taker only takes: every one of its fills is as taker, and it paid fees for them.
    const takerAccount = engine.account(taker.uid, 0)!;
    equal(takerAccount.makerVolume, 0);
    deepEqual(takerAccount.takerVolume > 0 || engine.account(taker.uid, 1)!.takerVolume > 0, true);
  });
});

Deno.test("no state is published during the grace period; a miner's first state opens with ESS and the config", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-grace-" });
  const validator = await startValidator(
    parseConfig(
      [
        "--port",
        "0",
        "--data",
        dataDir,
        "--books",
        "1",
        "--demo-miners",
        "0",
        "--step-ms",
        "10",
        "--grace-seconds",
        "20",
      ],
      () => undefined,
    ),
    () => {},
  );
  const hotkey = new Keyring({ type: "sr25519" }).addFromUri("//Ferdie");
  await registerHotkey(validator.kv, hotkey.address);
  const { promise: first, resolve } = Promise.withResolvers<{ step: number; state: StateUpdate }>();
  const client = await MinerClient.connect({
    url: validator.url.replace("http", "ws") + "/api/miner/ws",
    hotkey: hotkey.address,
    signGrant: (message) => Promise.resolve(hotkey.sign(stringToU8a(message))),
    onState: (step, body) => resolve({ step, state: decodeStateUpdate(body) }),
  });
  try {
    const { step, state } = await first;
    equal(step > 20, true, `first state at round ${step}, inside the grace period`);
    equal(state.notices[0]?.y, "ESS");
    equal(state.config?.grace_period, 20e9);
    equal(state.books.length, 1);
  } finally {
    client.close();
    await validator.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("honest miners' fills and balances stay exact while a malicious miner forges, replays, impersonates and sends garbage", async () => {
  const args = ["--step-ms", "20", "--grace-seconds", "0"];
  await withTraders(args, async (validator, { maker, taker }) => {
    const url = validator.url.replace("http", "ws") + "/api/miner/ws";
    /** Mallory's client, once connected (a state can arrive before connect() returns). */
    const mallory: { client?: MinerClient } = {};
    const attacks = { sent: 0, refusedFrames: 0 };
    const evil = new Keyring({ type: "sr25519" }).addFromUri("//Mallory");
    const evilUid = await registerHotkey(validator.kv, evil.address);
    const forger = await createSessionKey();
    const refused = () => attacks.refusedFrames++;
    mallory.client = await MinerClient.connect({
      url,
      hotkey: evil.address,
      signGrant: (message) => Promise.resolve(evil.sign(stringToU8a(message))),
      onState: (step) => {
        const client = mallory.client;
        if (client === undefined) return;
        const takeover = {
          type: "PLACE_ORDER_MARKET",
          agentId: taker.uid,
          delay: 0,
          bookId: 0,
          direction: 1,
          volume: 5,
          currency: 0,
          clientOrderId: null,
          stpFlag: 0,
          leverage: 0,
          settleFlag: -2,
          maxSlippage: 0,
        };
        attacks.sent += 5;
        // Well signed, but speaking for the taker, then ordering as the taker.
        client.send(encode({ step, agent_id: taker.uid, instructions: [] })).catch(() => {});
        client.send(encode({ step, agent_id: evilUid, instructions: [takeover] })).catch(() => {});
        client.send(new Uint8Array([0xc1])).catch(() => {});
        // A replayed sequence number and a signature by a key no grant authorised.
        const body = encode({ step, agent_id: evilUid, instructions: [] });
        client.sendRaw(1, body, new Uint8Array(64)).catch(refused);
        signFrame(forger, 10_000 + step, body)
          .then((signature) => client.sendRaw(10_000 + step, body, signature))
          .catch(refused);
      },
    });
    await until(
      () => attacks.refusedFrames >= 6 && validator.loop.ledger.totals(taker.uid).fills >= 5,
      20_000,
      "the taker's fills and refused attacks",
    );
    await validator.loop.stop();
    mallory.client.close();

    const engine = validator.market.engine;
    engine.checkInvariants();
    // Every lot and quote unit an honest miner holds is its capital plus its own fills.
    for (const uid of [maker.uid, taker.uid]) {
      const fills = validator.loop.ledger.recentFills(uid);
      equal(
        fills.length,
        validator.loop.ledger.totals(uid).fills,
        `uid ${uid} has ≤ ${RECENT_FILLS} fills`,
      );
      validator.loop.startingBalances(uid).forEach((start, bookId) => {
        const grid = validator.market.bookConfigs[bookId];
        const own = fills.filter((fill) => fill.bookId === bookId);
        const base = own.reduce((sum, f) => sum + (f.side === 0 ? f.quantity : -f.quantity), 0);
        const quote = own.reduce(
          (sum, f) => sum + (f.side === 0 ? -1 : 1) * f.price * f.quantity - f.fee,
          0,
        );
        const account = engine.account(uid, bookId)!;
        const baseScale = 10 ** grid.volumeDecimals;
        const quoteScale = 10 ** (grid.priceDecimals + grid.volumeDecimals);
        equal(
          account.baseTotal,
          start.baseLots + Math.round(base * baseScale),
          `uid ${uid} book ${bookId} base`,
        );
        ok(
          Math.abs(account.quoteTotal - (start.quoteUnits + quote * quoteScale)) <= own.length + 1,
          `uid ${uid} book ${bookId} quote ${account.quoteTotal} vs ${
            start.quoteUnits + quote * quoteScale
          }`,
        );
      });
    }
    // Nothing Mallory sent reached the exchange: her accounts are her capital, untouched.
    validator.loop.startingBalances(evilUid).forEach((start, bookId) => {
      const account = engine.account(evilUid, bookId)!;
      deepEqual(
        [account.baseTotal, account.quoteTotal, account.makerVolume + account.takerVolume],
        [start.baseLots, start.quoteUnits, 0],
      );
    });
    const listed = validator.gateway.miners.find((miner) => miner.uid === evilUid);
    ok(
      (listed?.refusedFrames ?? attacks.refusedFrames) >= 6,
      "forged and replayed frames are refused",
    );
  });
});
