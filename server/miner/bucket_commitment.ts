/**
 * The headless miner's commit of its bucket read key on subtensor: it dials
 * the node with its keyring hotkey as the only signer and runs
 * engine/chain/bucket_commitment.ts's commitBucket — the decision the
 * browser miner makes through its wallet — then hangs up. Server-only for
 * what the tab does not need: a keyring pair, SubtensorChain and Deno KV.
 *
 * @module
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import { commitBucket } from "@/engine/chain/bucket_commitment.ts";
import type { ChainSetting } from "@/server/chain/chain_setting.ts";
import { SubtensorChain } from "@/server/chain/subtensor_chain.ts";

/**
 * Connects to the subtensor node of `setting` with `hotkey` as the only
 * signer, commits the read key `readKey` (commitBucket: "unchanged" when
 * the chain already holds it) and disconnects.
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
