/**
 * commitBucket over subtensor stood in by memory (tests/subtensor_stand_in.ts:
 * subtensor's commitment rules and `Data` codec; named so in the test names).
 * The headless miner's dial-and-commit is server/miner/bucket_commitment_test.ts.
 */
import { deepEqual, equal, rejects } from "node:assert/strict";
import {
  commitBucket,
  type CommitmentChain,
  type CommitStep,
} from "@/engine/chain/bucket_commitment.ts";
import { ChainError } from "@/engine/chain/chain_error.ts";
import {
  formatBucketLocation,
  MAX_COMMITMENT_CHARS,
} from "@/engine/gentrx/store/bucket_location.ts";
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

Deno.test("commitBucket (subtensor stood in by memory): the miner's own key commits its read key, read first so an unchanged key sends nothing; each step is heard before it starts", async () => {
  const { node, dave } = subnet();
  const steps: CommitStep[] = [];
  equal(await commitBucket(dave, "5Dave", READ_KEY, (step) => steps.push(step)), "committed");
  deepEqual(steps, ["registration", "reading", "sending"]);
  equal(await node.connect([]).commitment("5Dave"), READ_KEY);
  equal(node.commitCalls, 1);
  // A restart with the same key: nothing is sent, so the rate limit is not spent.
  steps.length = 0;
  equal(await commitBucket(dave, "5Dave", READ_KEY, (step) => steps.push(step)), "unchanged");
  deepEqual(steps, ["registration", "reading"]);
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

Deno.test("commitBucket (subtensor stood in by memory): bad input is refused by name and limit before anything is sent", async () => {
  const { node, dave } = subnet();
  const steps: CommitStep[] = [];
  const long = READ_KEY.replace("SECRET", "S".repeat(MAX_COMMITMENT_CHARS));
  await rejects(commitBucket(dave, "5Dave", long, (step) => steps.push(step)), {
    message: `Invalid bucket read key: the read key takes ${long.length} characters as a chain ` +
      "commitment, over its limit of 128; use a shorter endpoint, bucket name or keys",
  });
  await rejects(commitBucket(dave, "5Dave", "file:/home/dave/bucket"), {
    message: "Invalid bucket read key: a local folder is readable on the local network only",
  });
  await rejects(commitBucket(dave, "5Dave", "ftp://x"), {
    message: /^Invalid bucket read key: must be /,
  });
  deepEqual(steps, [], "the chain is not asked about input that cannot be committed");
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

Deno.test("commitBucket (subtensor stood in by memory): both of the chain's too-soon refusals are explained, whatever class carries the rule; other refusals pass through as they are", async () => {
  const { dave } = subnet();
  let refusal: Error = new Error("unset");
  const refusing: CommitmentChain = {
    netuid: dave.netuid,
    uidOf: (hotkey) => dave.uidOf(hotkey),
    commitment: (hotkey) => dave.commitment(hotkey),
    setCommitment: () => Promise.reject(refusal),
  };
  // A refusal that lost its class on the way (a structured clone, a stood-in module) still counts.
  refusal = Object.assign(
    new Error("Cannot commit: Commitments.CommitmentSetRateLimitExceeded"),
    { rule: "CommitmentSetRateLimitExceeded" },
  );
  await rejects(commitBucket(refusing, "5Dave", READ_KEY), {
    rule: "CommitmentSetRateLimitExceeded",
    message: /RateLimitExceeded: the chain limits how often a hotkey commits .*try again later$/,
  });
  refusal = new ChainError("SpaceLimitExceeded", "Cannot commit: Commitments.SpaceLimitExceeded");
  await rejects(commitBucket(refusing, "5Dave", READ_KEY), {
    rule: "SpaceLimitExceeded",
    message: /SpaceLimitExceeded: the chain limits how often a hotkey commits .*try again later$/,
  });
  const badProof = new ChainError("BadProof", "Cannot commit: bad signature");
  refusal = badProof;
  await rejects(commitBucket(refusing, "5Dave", READ_KEY), (error) => error === badProof);
  const dropped = new Error("Cannot commit: the connection closed");
  refusal = dropped;
  await rejects(commitBucket(refusing, "5Dave", READ_KEY), (error) => error === dropped);
});

Deno.test("commitBucket (subtensor stood in by memory): an R2 read key, however it is spelled, is committed in its 128-character form", async () => {
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
