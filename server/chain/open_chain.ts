/**
 * The ChainClient the config asks for: the local network in Deno KV (the
 * default; the validator takes the first UID of its own metagraph) or a
 * subtensor node (`--chain ws://… --netuid N`), signing with the validator's
 * hotkey.
 *
 * @module
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import type { ChainClient } from "@/server/chain/chain_client.ts";
import { LocalChain } from "@/server/chain/local_chain.ts";
import { SubtensorChain } from "@/server/chain/subtensor_chain.ts";
import type { ChainSetting } from "@/server/chain/chain_setting.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";

export interface OpenChainOptions {
  kv: Deno.Kv;
  /** The validator's hotkey; subtensor calls are signed with it. */
  validator: KeyringPair;
  log?: (line: string) => void;
}

export async function openChain(
  setting: ChainSetting,
  { kv, validator, log = () => {} }: OpenChainOptions,
): Promise<ChainClient> {
  if (setting.kind === "local") {
    await registerHotkey(kv, validator.address);
    return new LocalChain(kv);
  }
  const chain = await SubtensorChain.connect({
    url: setting.url,
    netuid: setting.netuid,
    signers: [validator],
    kv,
    log,
  });
  const runtime = chain.api.runtimeVersion;
  const uid = await chain.uidOf(validator.address);
  log(
    `Subtensor at ${setting.url} (${runtime.specName} spec ${runtime.specVersion}), ` +
      `netuid ${setting.netuid}: validator ${validator.address} ` +
      (uid === undefined ? "is not registered; weights will be refused" : `has UID ${uid}`),
  );
  return chain;
}
