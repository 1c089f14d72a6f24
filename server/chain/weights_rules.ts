/**
 * When subtensor will take a validator's weights, decided from storage
 * before anything is signed (shared/reference/chain.md §1.4, §1.5): the
 * version key, the rate limit (`WeightsSetRateLimit` blocks since
 * `LastUpdate`, or since the last commit under commit-reveal), the cap on
 * unrevealed commits, and each commit's reveal window as `WeightCommits`
 * stores it. A refusal here costs no fee and says what to wait for.
 *
 * @module
 */
import { ChainError } from "@/engine/chain/chain_error.ts";

/** A hotkey may hold at most this many unrevealed commits (chain.md §1.5). */
export const MAX_UNREVEALED_COMMITS = 10;

export interface WeightsChainState {
  /** The current block. */
  block: number;
  /** `CommitRevealWeightsEnabled(netuid)`. */
  commitReveal: boolean;
  /** `WeightsVersionKey(netuid)`; 0 accepts any. */
  requiredVersionKey: bigint;
  /** `WeightsSetRateLimit(netuid)`, blocks. */
  rateLimitBlocks: number;
  /**
   * Block of the validator's last weights: `LastUpdate[uid]` without
   * commit-reveal, its last commit with it; 0 for never.
   */
  lastUpdateBlock: number;
  /** Commits of this hotkey waiting for their reveal. */
  unrevealedCommits: number;
}

/** How the next weights go on chain: directly, or as a commit to reveal later. */
export type WeightsPlan = "set_weights" | "commit_weights";

/** The call to send now, or a ChainError naming the rule that would refuse it. */
export function planWeights(state: WeightsChainState, versionKey: bigint): WeightsPlan {
  if (state.requiredVersionKey !== 0n && versionKey < state.requiredVersionKey) {
    throw new ChainError(
      "IncorrectWeightVersionKey",
      `Cannot set weights: version key ${versionKey} is below the subnet's ` +
        `${state.requiredVersionKey}; upgrade the validator`,
    );
  }
  const wait = blocksUntilAllowed(state.lastUpdateBlock, state.block, state.rateLimitBlocks);
  if (wait > 0) {
    throw new ChainError(
      state.commitReveal ? "CommittingWeightsTooFast" : "SettingWeightsTooFast",
      `Cannot set weights: last set at block ${state.lastUpdateBlock}, ` +
        `${state.block - state.lastUpdateBlock} blocks ago (limit ${state.rateLimitBlocks}); ` +
        `wait ${wait} more`,
    );
  }
  if (!state.commitReveal) return "set_weights";
  if (state.unrevealedCommits >= MAX_UNREVEALED_COMMITS) {
    throw new ChainError(
      "TooManyUnrevealedCommits",
      `Cannot commit weights: ${state.unrevealedCommits} commits wait for their reveal ` +
        `(limit ${MAX_UNREVEALED_COMMITS})`,
    );
  }
  return "commit_weights";
}

/**
 * Blocks until the rate limit lets weights through: subtensor allows them
 * when `last == 0 || now − last ≥ limit`.
 */
export function blocksUntilAllowed(lastBlock: number, block: number, limitBlocks: number): number {
  if (lastBlock === 0) return 0;
  return Math.max(0, lastBlock + limitBlocks - block);
}

/** A commit as `WeightCommits(netuid, hotkey)` stores it: (hash, commit, first, last reveal block). */
export interface StoredCommit {
  hash: string;
  commitBlock: number;
  firstRevealBlock: number;
  lastRevealBlock: number;
}

/** Reveal errors that mean "not yet": the commit stays pending. */
export const REVEAL_NOT_YET = new Set([
  "RevealTooEarly",
  "CommitBlockNotInRevealRange",
  "InvalidRevealCommitTempo",
]);

/** Where `block` falls in a commit's reveal window. */
export function revealWindow(commit: StoredCommit, block: number): "early" | "open" | "expired" {
  if (block < commit.firstRevealBlock) return "early";
  return block <= commit.lastRevealBlock ? "open" : "expired";
}

/**
 * The `WeightCommits` value from @polkadot/api's JSON: a list of
 * `[hash, commitBlock, firstRevealBlock, lastRevealBlock]` (numbers may come
 * as numbers, decimal or hex strings), or on the first commit-reveal
 * runtimes a single `[hash, commitBlock]`, whose window the chain alone
 * knows: it is taken as open from the commit on.
 */
export function parseStoredCommits(json: unknown): StoredCommit[] {
  if (!Array.isArray(json) || json.length === 0) return [];
  const block = (value: unknown) => Number(BigInt(value as string | number));
  if (typeof json[0] === "string") {
    const commitBlock = block(json[1]);
    return [{
      hash: json[0].toLowerCase(),
      commitBlock,
      firstRevealBlock: commitBlock,
      lastRevealBlock: Number.POSITIVE_INFINITY,
    }];
  }
  return json.map((entry) => {
    const [hash, commitBlock, firstRevealBlock, lastRevealBlock] = entry as unknown[];
    return {
      hash: String(hash).toLowerCase(),
      commitBlock: block(commitBlock),
      firstRevealBlock: block(firstRevealBlock),
      lastRevealBlock: block(lastRevealBlock),
    };
  });
}
