import { deepEqual, equal, rejects } from "node:assert/strict";
import { LocalChain } from "@/server/chain/local_chain.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";

async function setup(rateLimitMs = 0) {
  const kv = await Deno.openKv(":memory:");
  for (const hotkey of ["5Validator", "5MinerA", "5MinerB"]) await registerHotkey(kv, hotkey, 1);
  const clock = { now: 1_000 };
  return {
    kv,
    clock,
    chain: new LocalChain(kv, { weightsRateLimitMs: rateLimitMs, now: () => clock.now }),
  };
}

Deno.test("weights are stored max-upscaled, as subtensor stores them", async () => {
  const { kv, chain } = await setup();
  try {
    await chain.setWeights("5Validator", [1, 2], [10, 20]);
    deepEqual(await chain.weights(), [{
      uid: 0,
      uids: [1, 2],
      weights: [32768, 65535],
      setAt: 1_000,
    }]);
  } finally {
    kv.close();
  }
});

Deno.test("set_weights rules: registration, permit, rate limit, duplicates, unknown uids", async () => {
  const { kv, clock, chain } = await setup(5_000);
  try {
    await rejects(chain.setWeights("5Nobody", [1], [1]), { rule: "HotKeyNotRegisteredInSubNet" });
    await rejects(chain.setWeights("5MinerA", [1], [1]), { rule: "NeuronNoValidatorPermit" });
    await rejects(chain.setWeights("5Validator", [1, 1], [1, 2]), { rule: "DuplicateUids" });
    await rejects(chain.setWeights("5Validator", [7], [1]), { rule: "UidVecContainInvalidOne" });
    await rejects(chain.setWeights("5Validator", [1], [1, 2]), { rule: "WeightVecNotEqualSize" });
    await chain.setWeights("5Validator", [1], [1]);
    clock.now += 1_000;
    await rejects(chain.setWeights("5Validator", [2], [1]), { rule: "SettingWeightsTooFast" });
    clock.now += 5_000;
    await chain.setWeights("5Validator", [2], [1]);
  } finally {
    kv.close();
  }
});

Deno.test("metagraph lists permits and endpoints; commitments round-trip within the limit", async () => {
  const { kv, chain } = await setup();
  try {
    await chain.serveEndpoint("5Validator", "ws://127.0.0.1:8000/api/miner/ws");
    const neurons = await chain.metagraph();
    deepEqual(neurons.map((n) => [n.uid, n.validatorPermit, n.endpoint]), [
      [0, true, "ws://127.0.0.1:8000/api/miner/ws"],
      [1, false, null],
      [2, false, null],
    ]);
    await chain.setCommitment("5MinerA", "bucket:read-key");
    equal(await chain.commitment("5MinerA"), "bucket:read-key");
    equal(await chain.commitment("5MinerB"), null);
    await rejects(
      chain.setCommitment("5MinerA", "x".repeat(129)),
      /129 bytes exceeds the limit of 128/,
    );
  } finally {
    kv.close();
  }
});

Deno.test("the local network has no blocks: bestBlock is null (GenTRX rounds count steps), and its GenTRX shard is local", async () => {
  const { kv, chain } = await setup();
  try {
    equal(chain.bestBlock(), null);
    equal(chain.network, "local");
  } finally {
    kv.close();
  }
});
