import { deepEqual, equal, rejects } from "node:assert/strict";
import {
  commitBucket,
  type CommitmentChain,
  type CommitStep,
} from "@/engine/chain/bucket_commitment.ts";
import { ChainError } from "@/engine/chain/chain_error.ts";

const READ_KEY = "https://s3.example.com/dave-gentrx READ SECRET";

/** One hotkey's commitment, kept in memory; `refuse` makes the next set throw it. */
function memoryChain(registered: boolean, stored: string | null = null) {
  const sent: string[] = [];
  let refuse: Error | null = null;
  const chain: CommitmentChain = {
    netuid: 3,
    uidOf: () => Promise.resolve(registered ? 1 : undefined),
    commitment: () => Promise.resolve(stored),
    setCommitment(_hotkey, data) {
      if (refuse) return Promise.reject(refuse);
      sent.push(stored = data);
      return Promise.resolve();
    },
  };
  return { chain, sent, refuseWith: (error: Error) => refuse = error };
}

Deno.test("commitBucket reads the commitment first: an equal one sends nothing, a new one is set", async () => {
  const { chain, sent } = memoryChain(true);
  const steps: CommitStep[] = [];
  equal(await commitBucket(chain, "5Dave", READ_KEY, (step) => steps.push(step)), "committed");
  deepEqual(steps, ["registration", "reading", "sending"]);
  deepEqual(sent, [READ_KEY]);

  steps.length = 0;
  equal(await commitBucket(chain, "5Dave", READ_KEY, (step) => steps.push(step)), "unchanged");
  deepEqual(steps, ["registration", "reading"]);
  deepEqual(sent, [READ_KEY]);
});

Deno.test("commitBucket refuses by field and limit before the chain is asked", async () => {
  const { chain, sent } = memoryChain(true);
  const long = READ_KEY.replace("SECRET", "S".repeat(128));
  await rejects(commitBucket(chain, "5Dave", long), {
    message: `Cannot commit the bucket read key: its ${long.length} characters exceed the ` +
      "chain commitment's limit of 128; use a shorter endpoint, bucket name or keys",
  });
  await rejects(commitBucket(chain, "5Dave", "file:/home/dave/bucket"), {
    message: "Invalid bucket read key: a local folder is readable on the local network only",
  });
  await rejects(commitBucket(memoryChain(false).chain, "5Eve", READ_KEY), {
    rule: "HotKeyNotRegisteredInSubNet",
    message: 'Cannot commit the bucket read key: hotkey "5Eve" is not registered on netuid 3; ' +
      "register it first (btcli subnets register)",
  });
  deepEqual(sent, []);
});

Deno.test("commitBucket explains the chain's rate limit, whichever ChainError class names it", async () => {
  const { chain, refuseWith } = memoryChain(true);
  // server/chain/chain_client.ts declares a ChainError of its own: the rule is read by shape.
  const serverError = Object.assign(
    new Error("Cannot commit: Commitments.CommitmentSetRateLimitExceeded"),
    { rule: "CommitmentSetRateLimitExceeded" },
  );
  refuseWith(serverError);
  await rejects(commitBucket(chain, "5Dave", READ_KEY), {
    rule: "CommitmentSetRateLimitExceeded",
    message: /RateLimitExceeded: the chain limits how often a hotkey commits .*try again later$/,
  });
  refuseWith(new ChainError("SpaceLimitExceeded", "Cannot commit: Commitments.SpaceLimitExceeded"));
  await rejects(commitBucket(chain, "5Dave", READ_KEY), { rule: "SpaceLimitExceeded" });
  // Other refusals pass through as they are.
  const badProof = new ChainError("BadProof", "Cannot commit: bad signature");
  refuseWith(badProof);
  await rejects(commitBucket(chain, "5Dave", READ_KEY), (error) => error === badProof);
});
