/**
 * A miner's bucket read key as its chain commitment on subtensor (taos.md
 * §6.6): `Commitments.set_commitment`, signed by the miner's own hotkey — a
 * validator cannot sign it, so there the miner commits before it joins the
 * training pool over its session. Browser-safe: the tab commits through its
 * wallet (islands/_miner_chain.ts), and server/miner/bucket_commitment.ts
 * does the same with its keyring hotkey.
 *
 * The commitment on chain is read first and set only when it differs:
 * commitments are rate limited (chain.md §1.1: spec 185 allows one per 100
 * blocks, newer runtimes 3100 bytes per epoch), so restarting a miner costs
 * nothing and only a new key is sent.
 *
 * @module
 */
import {
  MAX_COMMITMENT_CHARS,
  parseBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import { ChainError, chainRule } from "@/engine/chain/chain_error.ts";

/** The chain calls a commitment needs (a subset of server/chain's ChainClient). */
export interface CommitmentChain {
  readonly netuid?: number;
  uidOf(hotkey: string): Promise<number | undefined>;
  commitment(hotkey: string): Promise<string | null>;
  setCommitment(hotkey: string, data: string): Promise<void>;
}

/** Where a commit stands: checking the hotkey's UID, reading its commitment, sending a new one. */
export type CommitStep = "registration" | "reading" | "sending";

/** The Commitments pallet's refusals of a commitment sent too soon (spec 185; newer runtimes). */
const TOO_SOON = new Set(["CommitmentSetRateLimitExceeded", "SpaceLimitExceeded"]);

/**
 * Makes `commitment` (bucket_location.ts, e.g. `https://host/bucket KEY
 * SECRET`) `hotkey`'s commitment on `chain`: "unchanged" when it already
 * is, else "committed" once the chain includes it; `onStep` hears each step
 * before it starts. Throws naming the limit for a commitment over 128
 * characters, a folder (a validator elsewhere cannot read it), an
 * unregistered hotkey, or a commitment sent too soon.
 */
export async function commitBucket(
  chain: CommitmentChain,
  hotkey: string,
  commitment: string,
  onStep: (step: CommitStep) => void = () => {},
): Promise<"unchanged" | "committed"> {
  if (commitment.length > MAX_COMMITMENT_CHARS) {
    throw new RangeError(
      `Cannot commit the bucket read key: its ${commitment.length} characters exceed the chain ` +
        `commitment's limit of ${MAX_COMMITMENT_CHARS}; use a shorter endpoint, bucket name or keys`,
    );
  }
  parseBucketLocation(commitment, "bucket read key", {
    maxChars: MAX_COMMITMENT_CHARS,
    allowFolder: false,
  });
  onStep("registration");
  if (await chain.uidOf(hotkey) === undefined) {
    throw new ChainError(
      "HotKeyNotRegisteredInSubNet",
      `Cannot commit the bucket read key: hotkey "${hotkey}" is not registered on netuid ` +
        `${chain.netuid}; register it first (btcli subnets register)`,
    );
  }
  onStep("reading");
  if (await chain.commitment(hotkey) === commitment) return "unchanged";
  onStep("sending");
  try {
    await chain.setCommitment(hotkey, commitment);
  } catch (error) {
    const rule = chainRule(error);
    if (rule === undefined || !TOO_SOON.has(rule)) throw error;
    throw new ChainError(
      rule,
      `${(error as Error).message}: the chain limits how often a hotkey commits ` +
        "(spec 185: once per 100 blocks; newer runtimes: 3100 bytes per epoch), try again later",
    );
  }
  return "committed";
}
