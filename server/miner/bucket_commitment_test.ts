/** The headless miner's dial-and-commit; commitBucket's cases are engine/chain/bucket_commitment_test.ts. */
import { rejects } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { freeLoopbackPort } from "@/server/chain/chopsticks.ts";
import { commitBucketOnSubtensor } from "@/server/miner/bucket_commitment.ts";

const READ_KEY = "http://127.0.0.1:9000/dave-gentrx READ SECRET";

Deno.test("commitBucketOnSubtensor: no node at the URL fails naming it", async () => {
  await cryptoWaitReady();
  const dave = new Keyring({ type: "sr25519" }).addFromUri("//Dave");
  const url = `ws://127.0.0.1:${freeLoopbackPort()}`;
  await rejects(commitBucketOnSubtensor({ kind: "subtensor", url, netuid: 3 }, dave, READ_KEY), {
    rule: "ConnectionFailed",
    message: new RegExp(`^Cannot connect to subtensor at "${url}": `),
  });
});
