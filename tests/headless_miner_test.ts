/**
 * Integration: a headless miner (example agent, dev hotkey) connects to a
 * real validator's gateway, receives a state update frame and answers with
 * signed instructions that pass the validator's filter.
 */
import { decode } from "@msgpack/msgpack";
import { deepEqual, equal } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { filterAgentResponse } from "@/engine/protocol/agent_response.ts";
import { encodeBooks, encodeStateUpdate } from "@/engine/protocol/state_update.ts";
import { parseConfig } from "@/server/config.ts";
import { startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { loadAgent, parseParams } from "@/server/miner/main.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";
import { startValidator } from "@/server/validator.ts";
import { bookAround, taosConfig } from "@/tests/fixtures/state_updates.ts";

await cryptoWaitReady();

Deno.test("a headless miner answers a published state with valid signed instructions", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "marketforge-miner-" });
  const validator = await startValidator(
    parseConfig(["--port", "0", "--data", dataDir, "--books", "1"], () => undefined),
    () => {},
  );
  const hotkey = new Keyring({ type: "sr25519" }).addFromUri("//Dave");
  const uid = await registerHotkey(validator.kv, hotkey.address);
  const miner = startHeadlessMiner({
    url: validator.url.replace("http", "ws") + "/api/miner/ws",
    hotkey,
    agent: await loadAgent("engine/agents/random_maker.ts"),
    params: parseParams(["volume=2"]),
    log: () => {},
  });
  try {
    const client = await miner.ready;
    equal(client.uid, uid);
    const { promise: answered, resolve } = Promise.withResolvers<unknown>();
    validator.gateway.onResponse((session, body) => {
      if (session.uid === uid) resolve(decode(body));
    });
    const books = encodeBooks([bookAround(0, 300)]);
    validator.gateway.publish(() => ({
      t: "state",
      v: 1,
      step: 1,
      body: encodeStateUpdate(books, {
        version: 1,
        timestamp: 1e9,
        config: taosConfig,
        accounts: {},
        notices: [],
      }),
    }));
    const { accepted, refused } = filterAgentResponse(await answered, {
      uid,
      bookCount: 1,
      maxInstructionsPerBook: 5,
      isOverVolumeCap: () => false,
    });
    deepEqual(refused, []);
    deepEqual(accepted.map((i) => i.type === "PLACE_ORDER_LIMIT" && i.volume), [2, 2]);
  } finally {
    miner.stop();
    await validator.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});
