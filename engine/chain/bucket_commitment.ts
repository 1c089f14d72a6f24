/**
 * A miner's bucket read key as its chain commitment on subtensor (taos.md
 * §6.6): `Commitments.set_commitment`, signed by the miner's own hotkey — a
 * validator cannot sign it, so there the miner commits before it joins the
 * training pool over its session (on the local network the validator stores
 * the `{ gentrx: "commit" }` body instead). Browser-safe, so one decision
 * serves both signers: the tab through its wallet (islands/_miner_chain.ts)
 * and the headless miner with its keyring hotkey
 * (server/miner/bucket_commitment.ts).
 *
 * The commitment on chain is read first and set only when it differs:
 * commitments are rate limited (chain.md §1.1: spec 185 allows one per 100
 * blocks, newer runtimes 3100 bytes per epoch), so restarting a miner costs
 * nothing and only a new key is sent.
 *
 * @module
 */
import {
  commitmentOf,
  MAX_LOCATION_CHARS,
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
/** How refusals name what is committed. */
const FIELD = "bucket read key";

/**
 * Makes the read key `readKey` (bucket_location.ts, any form, e.g.
 * `https://host/bucket KEY SECRET`) `hotkey`'s commitment on `chain`, in its
 * shortest form (commitmentOf; an R2 key: τaos's packed one when the bucket
 * is named after the account): "unchanged" when it already is, else
 * "committed" once the chain includes it; `onStep` hears each step before
 * it starts. Throws naming the limit and the length for a key that cannot
 * fit 128 characters, a folder (a validator elsewhere cannot read it), an
 * unregistered hotkey, or a commitment sent too soon — the first two
 * before the chain is asked anything.
 */
export async function commitBucket(
  chain: CommitmentChain,
  hotkey: string,
  readKey: string,
  onStep: (step: CommitStep) => void = () => {},
): Promise<"unchanged" | "committed"> {
  const location = parseBucketLocation(readKey, FIELD, {
    maxChars: MAX_LOCATION_CHARS,
    allowFolder: false,
  });
  const commitment = commitmentOf(location, FIELD);
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
