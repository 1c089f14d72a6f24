import { deepEqual, equal, throws } from "node:assert/strict";
import {
  blocksUntilAllowed,
  MAX_UNREVEALED_COMMITS,
  parseStoredCommits,
  planWeights,
  revealWindow,
  type WeightsChainState,
} from "@/server/chain/weights_rules.ts";

const open: WeightsChainState = {
  block: 1_000,
  commitReveal: false,
  requiredVersionKey: 0n,
  rateLimitBlocks: 100,
  lastUpdateBlock: 0,
  unrevealedCommits: 0,
};

Deno.test("rate limit: allowed when never set or limit blocks have passed (≥, as subtensor)", () => {
  equal(blocksUntilAllowed(0, 5, 100), 0);
  equal(blocksUntilAllowed(900, 1_000, 100), 0);
  equal(blocksUntilAllowed(901, 1_000, 100), 1);
  equal(blocksUntilAllowed(1_000, 1_000, 0), 0);
});

Deno.test("plan: set_weights without commit-reveal, commit_weights with it", () => {
  equal(planWeights(open, 1000n), "set_weights");
  equal(planWeights({ ...open, commitReveal: true }, 1000n), "commit_weights");
});

Deno.test("plan refuses what the chain would refuse, naming its error", () => {
  throws(() => planWeights({ ...open, requiredVersionKey: 2000n }, 1000n), {
    rule: "IncorrectWeightVersionKey",
    message:
      "Cannot set weights: version key 1000 is below the subnet's 2000; upgrade the validator",
  });
  equal(planWeights({ ...open, requiredVersionKey: 1000n }, 1000n), "set_weights");
  throws(() => planWeights({ ...open, lastUpdateBlock: 950 }, 1000n), {
    rule: "SettingWeightsTooFast",
    message: "Cannot set weights: last set at block 950, 50 blocks ago (limit 100); wait 50 more",
  });
  throws(() => planWeights({ ...open, commitReveal: true, lastUpdateBlock: 950 }, 1000n), {
    rule: "CommittingWeightsTooFast",
  });
  throws(
    () =>
      planWeights({ ...open, commitReveal: true, unrevealedCommits: MAX_UNREVEALED_COMMITS }, 1n),
    { rule: "TooManyUnrevealedCommits" },
  );
});

Deno.test("reveal windows from WeightCommits (hash, commit, first, last reveal block)", () => {
  const [commit] = parseStoredCommits([["0xAB", 10, "0x64", "199"]]);
  deepEqual(commit, { hash: "0xab", commitBlock: 10, firstRevealBlock: 100, lastRevealBlock: 199 });
  equal(revealWindow(commit, 99), "early");
  equal(revealWindow(commit, 100), "open");
  equal(revealWindow(commit, 199), "open");
  equal(revealWindow(commit, 200), "expired");
  deepEqual(parseStoredCommits(null), []);
  // The first commit-reveal runtimes kept one (hash, block) per hotkey.
  const [single] = parseStoredCommits(["0xCD", 40]);
  deepEqual(single, {
    hash: "0xcd",
    commitBlock: 40,
    firstRevealBlock: 40,
    lastRevealBlock: Number.POSITIVE_INFINITY,
  });
  equal(revealWindow(single, 1e9), "open");
});
