import { deepEqual, equal } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import randomMaker from "@/engine/agents/random_maker.ts";
import type { GenTrxReceiptFrame } from "@/engine/gateway/frames.ts";
import type { BucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import { formatBucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import { MinerGateway } from "@/server/gateway/gateway.ts";
import { SessionRegistry } from "@/server/gateway/session_registry.ts";
import { DEFAULT_ROUND_BLOCKS } from "@/server/gentrx/gentrx_config.ts";
import { GenTrxPool } from "@/server/gentrx/gentrx_pool.ts";
import { assertToldToCommitOnChain } from "@/server/gentrx/_gentrx_pool_fixture.ts";
import { commitBucket } from "@/engine/chain/bucket_commitment.ts";
import { type HeadlessMiner, startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { InMemorySubtensor } from "@/tests/subtensor_stand_in.ts";

await cryptoWaitReady();

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("headless miners on subtensor (subtensor stood in by an in-memory ChainClient): one that committed on chain itself only joins; one that sends its read key over the session is told how to commit it", async () => {
  const keyring = new Keyring({ type: "sr25519" });
  const [validator, dave, eve] = ["//Alice", "//Dave", "//Eve"].map((uri) =>
    keyring.addFromUri(uri)
  );
  const node = new InMemorySubtensor({
    netuid: 3,
    hotkeys: [validator, dave, eve].map((pair) => pair.address),
    block: 1_000,
  });
  const validatorChain = node.connect([validator.address]);
  const gateway = new MinerGateway({
    registry: new SessionRegistry({
      validatorHotkey: validator.address,
      uidOf: (hotkey) => validatorChain.uidOf(hotkey),
    }),
  });
  const root = await Deno.makeTempDir({ prefix: "mf_headless_subtensor_" });
  const kv = await Deno.openKv(":memory:");
  const pool = await GenTrxPool.open({
    settings: {
      roundSteps: 20,
      roundBlocks: DEFAULT_ROUND_BLOCKS,
      demoTrainers: 0,
      rowsPerPage: 200,
      store: { kind: "folder", path: `${root}/objects` },
      apiKey: undefined,
    },
    kv,
    validatorHotkey: validator.address,
    stepMs: 1000,
    gateway,
    chain: validatorChain,
    log: () => {},
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => gateway.upgrade(request, "127.0.0.1"),
  );
  const bucket = (name: string): BucketLocation => ({
    kind: "s3",
    endpoint: "http://127.0.0.1:9",
    bucket: name,
    accessKeyId: "READ",
    secretAccessKey: "SECRET",
  });
  const receipts = new Map<string, GenTrxReceiptFrame[]>([["dave", []], ["eve", []]]);
  const miners: HeadlessMiner[] = [];
  try {
    // Dave does what `deno task miner -- … --chain … --netuid 3` does: commit, then mine.
    const daveChain = node.connect([dave.address]);
    equal(
      await commitBucket(daveChain, dave.address, formatBucketLocation(bucket("dave"))),
      "committed",
    );
    for (
      const [name, pair, commitVia] of [["dave", dave, "chain"], ["eve", eve, "session"]] as const
    ) {
      miners.push(startHeadlessMiner({
        url: `ws://127.0.0.1:${server.addr.port}`,
        hotkey: pair,
        agent: randomMaker,
        log: () => {},
        gentrx: {
          bucket: bucket(name),
          commitVia,
          onReceipt: (receipt) => receipts.get(name)!.push(receipt),
        },
      }));
    }
    await until(
      () => receipts.get("dave")!.length >= 1 && receipts.get("eve")!.length >= 2,
      "receipts",
    );
    await pool.settled();
    deepEqual(receipts.get("dave")!.map((r) => `${r.kind}:${r.ok}`), ["join:true"]);
    assertToldToCommitOnChain(receipts.get("eve")!, 3);
    equal(await validatorChain.commitment(dave.address), formatBucketLocation(bucket("dave")));
    equal(await validatorChain.commitment(eve.address), null);
    deepEqual(pool.joinedUids, [1, 2]);
  } finally {
    for (const miner of miners) miner.stop();
    await pool.stop();
    await server.shutdown();
    kv.close();
    await Deno.remove(root, { recursive: true });
  }
});
