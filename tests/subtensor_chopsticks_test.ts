/**
 * SubtensorChain against a real subtensor runtime under chopsticks
 * (shared/reference/chain.md §3): a dev subnet with four neurons, the
 * metagraph, set_weights read back from `SubtensorModule.Weights`,
 * serve_axon, a commitment, a GenTRX miner committing its R2 read key in
 * τaos's packed form (128 characters, the pallet's limit) with its own
 * hotkey (server/miner/bucket_commitment.ts), the best block the GenTRX
 * round clock reads (from the new-heads subscription) and commit-reveal.
 *
 * The runtime comes from the raw chain spec at $SUBTENSOR_CHAIN_SPEC (the
 * README's "Chain setup" says how to get one); without it the test is
 * reported as ignored. Everything listens on 127.0.0.1.
 *
 * @module
 */
import { deepEqual, equal, rejects } from "node:assert/strict";
import {
  bucketFromUrl,
  formatBucketLocation,
  MAX_COMMITMENT_CHARS,
} from "@/engine/gentrx/store/bucket_location.ts";
import { startChopsticks } from "@/server/chain/chopsticks.ts";
import { createDevSubnet, newBlocks, setCommitReveal } from "@/server/chain/dev_subnet.ts";
import { listPendingReveals } from "@/server/chain/pending_reveals.ts";
import { connectSubtensor, SubtensorChain } from "@/server/chain/subtensor_chain.ts";
import { commitBucketOnSubtensor } from "@/server/miner/bucket_commitment.ts";

const specPath = Deno.env.get("SUBTENSOR_CHAIN_SPEC");

Deno.test({
  name: "subtensor under chopsticks: subnet, neurons, weights set and read back " +
    "(needs SUBTENSOR_CHAIN_SPEC, a raw chain spec)",
  ignore: !specPath,
  // chopsticks keeps workers and timers of its own until close().
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const chopsticks = await startChopsticks(specPath!);
    const api = await connectSubtensor(chopsticks.url);
    const kv = await Deno.openKv(":memory:");
    try {
      const { netuid, neurons } = await createDevSubnet(api, chopsticks.url, { tempo: 3 });
      const [alice, bob, charlie] = neurons;
      const chain = new SubtensorChain(api, { netuid, signers: neurons, kv, metagraphTtlMs: 0 });

      const metagraph = await chain.metagraph();
      deepEqual(metagraph.map((n) => n.hotkey), neurons.map((pair) => pair.address));
      equal(metagraph[0].validatorPermit, true);
      equal(metagraph[0].stake! > 0, true);
      equal(await chain.uidOf(bob.address), 1);

      await chain.setWeights(alice.address, [1, 2, 3], [65535, 32768, 16384]);
      deepEqual((await chain.weights()).map(({ uid, uids, weights }) => ({ uid, uids, weights })), [
        { uid: 0, uids: [1, 2, 3], weights: [65535, 32768, 16384] },
      ]);
      // The chain max-upscales what it stores (chain.md §1.4).
      await chain.setWeights(alice.address, [1, 2], [10, 20]);
      deepEqual((await chain.weights())[0].weights, [32768, 65535]);
      await rejects(chain.setWeights(alice.address, [1, 9], [1, 1]), {
        rule: "UidVecContainInvalidOne",
      });

      // 127.0.0.1 itself is refused on chain; 127.0.0.2 still reaches loopback.
      await chain.serveEndpoint(alice.address, "ws://127.0.0.2:8091/api/miner/ws");
      equal((await chain.metagraph())[0].endpoint, "ws://127.0.0.2:8091/api/miner/ws");

      await chain.setCommitment(bob.address, "bucket:read-key");
      equal(await chain.commitment(bob.address), "bucket:read-key");

      // A GenTRX miner commits its read key over its own connection, signed by its
      // hotkey alone; read first, so a restart sends nothing (spec 185 would refuse a
      // second commit within 100 blocks). An R2 key named after its account is τaos's
      // packed form: exactly the pallet's 128 characters.
      const setting = { kind: "subtensor", url: chopsticks.url, netuid } as const;
      const account = "0123456789abcdef0123456789abcdef";
      const readKey = bucketFromUrl(`https://${account}.r2.cloudflarestorage.com/${account}`, {
        accessKeyId: "ab".repeat(16),
        secretAccessKey: "cd".repeat(32),
      });
      const commitment = formatBucketLocation(readKey);
      equal(commitment.length, MAX_COMMITMENT_CHARS);
      equal(await commitBucketOnSubtensor(setting, charlie, commitment), "committed");
      equal(await chain.commitment(charlie.address), commitment);
      equal(await commitBucketOnSubtensor(setting, charlie, commitment), "unchanged");

      // The round clock's block is the chain's best block, heard as a new head.
      await newBlocks(chopsticks.url, 1);
      const best = Number((await api.query.system.number()).toString());
      for (let wait = 0; wait < 50 && chain.bestBlock() !== best; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      equal(chain.bestBlock(), best);
      equal(chain.network, "testnet");

      // Commit-reveal: the first call commits, a later one in the reveal
      // window reveals, and Weights then holds the revealed values.
      await setCommitReveal(api, alice, netuid, true);
      await chain.setWeights(alice.address, [2, 3], [65535, 65535]);
      equal((await listPendingReveals(kv, netuid, alice.address)).length, 1);
      for (let attempt = 0; attempt < 20; attempt++) {
        await newBlocks(chopsticks.url, 2);
        await chain.setWeights(alice.address, [2, 3], [65535, 65535]).catch(() => {});
        const row = (await chain.weights())[0];
        if (row.uids.join() === "2,3") break;
      }
      deepEqual((await chain.weights())[0].uids, [2, 3]);
    } finally {
      kv.close();
      await api.disconnect();
      await chopsticks.close();
    }
  },
});
