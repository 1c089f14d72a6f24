/**
 * A miner's bucket read key as its chain commitment on subtensor (taos.md
 * §6.6): `Commitments.set_commitment`, signed by the miner's own hotkey —
 * a validator cannot sign it, so there the miner commits before it joins
 * the training pool over its session (on the local network the validator
 * stores the `{ gentrx: "commit" }` body instead).
 *
 * The commitment on chain is read first and set only when it differs:
 * commitments are rate limited (chain.md §1.1: spec 185 allows one per 100
 * blocks, newer runtimes 3100 bytes per epoch), so restarting a miner
 * costs nothing and only a new key is sent.
 *
 * @module
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import {
  commitmentOf,
  MAX_LOCATION_CHARS,
  parseBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import { type ChainClient, ChainError } from "@/server/chain/chain_client.ts";
import type { ChainSetting } from "@/server/chain/chain_setting.ts";
import { SubtensorChain } from "@/server/chain/subtensor_chain.ts";

/** The chain calls a commitment needs. */
export type CommitmentChain = Pick<
  ChainClient,
  "netuid" | "uidOf" | "commitment" | "setCommitment"
>;

/** The Commitments pallet's refusals of a commitment sent too soon (spec 185; newer runtimes). */
const TOO_SOON = new Set(["CommitmentSetRateLimitExceeded", "SpaceLimitExceeded"]);
/** How refusals name what is committed. */
const FIELD = "bucket read key";

/**
 * Makes the read key `readKey` (bucket_location.ts, any form, e.g.
 * `https://host/bucket KEY SECRET`) `hotkey`'s commitment on `chain`, in its
 * shortest form (an R2 key: τaos's packed one when the bucket is named
 * after the account): "unchanged" when it already is, else "committed"
 * once the chain includes it. Throws naming the limit and the length for a
 * key that cannot fit 128 characters, a folder (a validator elsewhere
 * cannot read it), an unregistered hotkey, or a commitment sent too soon.
 */
export async function commitBucket(
  chain: CommitmentChain,
  hotkey: string,
  readKey: string,
): Promise<"unchanged" | "committed"> {
  const location = parseBucketLocation(readKey, FIELD, {
    maxChars: MAX_LOCATION_CHARS,
    allowFolder: false,
  });
  const commitment = commitmentOf(location, FIELD);
  if (await chain.uidOf(hotkey) === undefined) {
    throw new ChainError(
      "HotKeyNotRegisteredInSubNet",
      `Cannot commit the bucket read key: hotkey "${hotkey}" is not registered on netuid ` +
        `${chain.netuid}; register it first (btcli subnets register)`,
    );
  }
  if (await chain.commitment(hotkey) === commitment) return "unchanged";
  try {
    await chain.setCommitment(hotkey, commitment);
  } catch (error) {
    if (!(error instanceof ChainError) || !TOO_SOON.has(error.rule)) throw error;
    throw new ChainError(
      error.rule,
      `${error.message}: the chain limits how often a hotkey commits ` +
        "(spec 185: once per 100 blocks; newer runtimes: 3100 bytes per epoch), try again later",
    );
  }
  return "committed";
}

/**
 * Connects to the subtensor node of `setting` with `hotkey` as the only
 * signer, commits the bucket (commitBucket) and disconnects.
 */
export async function commitBucketOnSubtensor(
  setting: Extract<ChainSetting, { kind: "subtensor" }>,
  hotkey: KeyringPair,
  readKey: string,
): Promise<"unchanged" | "committed"> {
  // A miner sets no weights, so no commit-reveal state is kept: an in-memory KV.
  const kv = await Deno.openKv(":memory:");
  try {
    const chain = await SubtensorChain.connect({
      url: setting.url,
      netuid: setting.netuid,
      signers: [hotkey],
      kv,
    });
    try {
      return await commitBucket(chain, hotkey.address, readKey);
    } finally {
      await chain.close();
    }
  } finally {
    kv.close();
  }
}
