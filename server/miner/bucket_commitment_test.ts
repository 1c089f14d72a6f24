import { equal, rejects } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import {
  formatBucketLocation,
  MAX_COMMITMENT_CHARS,
} from "@/engine/gentrx/store/bucket_location.ts";
import { freeLoopbackPort } from "@/server/chain/chopsticks.ts";
import { commitBucket, commitBucketOnSubtensor } from "@/server/miner/bucket_commitment.ts";
import { COMMITMENT_RATE_LIMIT_BLOCKS, InMemorySubtensor } from "@/tests/subtensor_stand_in.ts";

const READ_KEY = formatBucketLocation({
  kind: "s3",
  endpoint: "http://127.0.0.1:9000",
  bucket: "dave-gentrx",
  accessKeyId: "READ",
  secretAccessKey: "SECRET",
});

function subnet() {
  const node = new InMemorySubtensor({
    netuid: 3,
    hotkeys: ["5Validator", "5Dave"],
    block: 1_000,
  });
  return { node, dave: node.connect(["5Dave"]) };
}

Deno.test("commitBucket (subtensor stood in by an in-memory ChainClient): the miner's own key commits its read key, read first so an unchanged key sends nothing", async () => {
  const { node, dave } = subnet();
  equal(await commitBucket(dave, "5Dave", READ_KEY), "committed");
  equal(await node.connect([]).commitment("5Dave"), READ_KEY);
  equal(node.commitCalls, 1);
  // A restart with the same key: nothing is sent, so the rate limit is not spent.
  equal(await commitBucket(dave, "5Dave", READ_KEY), "unchanged");
  equal(node.commitCalls, 1);
  // A rotated key within the rate limit: refused by the chain, saying why and what to do.
  const rotated = READ_KEY.replace("READ", "READ2");
  await rejects(commitBucket(dave, "5Dave", rotated), {
    rule: "CommitmentSetRateLimitExceeded",
    message:
      /rate limit exceeded\): the chain limits how often a hotkey commits .*try again later$/,
  });
  node.block += COMMITMENT_RATE_LIMIT_BLOCKS;
  equal(await commitBucket(dave, "5Dave", rotated), "committed");
  equal(await dave.commitment("5Dave"), rotated);
});

Deno.test("commitBucket (subtensor stood in by an in-memory ChainClient): bad input is refused by name and limit before anything is sent", async () => {
  const { node, dave } = subnet();
  const long = READ_KEY.replace("SECRET", "S".repeat(MAX_COMMITMENT_CHARS));
  await rejects(commitBucket(dave, "5Dave", long), {
    message: `Invalid bucket read key: the read key takes ${long.length} characters as a chain ` +
      "commitment, over its limit of 128; use a shorter endpoint, bucket name or keys",
  });
  await rejects(commitBucket(dave, "5Dave", "file:/home/dave/bucket"), {
    message: "Invalid bucket read key: a local folder is readable on the local network only",
  });
  await rejects(commitBucket(dave, "5Dave", "ftp://x"), {
    message: /^Invalid bucket read key: must be /,
  });
  await rejects(commitBucket(node.connect(["5Eve"]), "5Eve", READ_KEY), {
    rule: "HotKeyNotRegisteredInSubNet",
    message: 'Cannot commit the bucket read key: hotkey "5Eve" is not registered on netuid 3; ' +
      "register it first (btcli subnets register)",
  });
  // Another hotkey's key cannot sign Dave's commitment (the validator's refusal on subtensor).
  await rejects(commitBucket(node.connect(["5Validator"]), "5Dave", READ_KEY), {
    rule: "NoSigningKey",
  });
  equal(node.commitCalls, 0);
  equal(await dave.commitment("5Dave"), null);
});

Deno.test("commitBucketOnSubtensor: no node at the URL fails naming it", async () => {
  await cryptoWaitReady();
  const dave = new Keyring({ type: "sr25519" }).addFromUri("//Dave");
  const url = `ws://127.0.0.1:${freeLoopbackPort()}`;
  await rejects(commitBucketOnSubtensor({ kind: "subtensor", url, netuid: 3 }, dave, READ_KEY), {
    rule: "ConnectionFailed",
    message: new RegExp(`^Cannot connect to subtensor at "${url}": `),
  });
});

Deno.test("commitBucket (subtensor stood in by an in-memory ChainClient): an R2 read key, however it is spelled, is committed in its 128-character form", async () => {
  const { node, dave } = subnet();
  const account = "0123456789abcdef0123456789abcdef";
  const [keyId, secret] = ["ab".repeat(16), "cd".repeat(32)];
  const spelledOut = `https://${account}.r2.cloudflarestorage.com/${account} ${keyId} ${secret}`;
  equal(spelledOut.length > MAX_COMMITMENT_CHARS, true);
  equal(await commitBucket(dave, "5Dave", spelledOut), "committed");
  // τaos's packed form: account id, key id, secret.
  equal(await node.connect([]).commitment("5Dave"), `${account}${keyId}${secret}`);
  equal(await commitBucket(dave, "5Dave", spelledOut), "unchanged");
  equal(node.commitCalls, 1);
});
