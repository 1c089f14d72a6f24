/**
 * Loads a miner's sr25519 hotkey for headless mining: from a Bittensor
 * wallet folder (`~/.bittensor/wallets/<wallet>/hotkeys/<hotkey>`, the JSON
 * keyfile btcli writes, unencrypted for hotkeys) or from a mnemonic or dev
 * URI such as `//Bob`.
 *
 * @module
 */
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";

export interface HotkeySource {
  /** A mnemonic, a 0x seed or a dev URI (`//Bob`). */
  uri?: string;
  /** Wallet folder root; default ~/.bittensor/wallets. */
  walletPath?: string;
  wallet?: string;
  hotkey?: string;
}

/** The keyfile fields btcli writes for a hotkey. */
interface Keyfile {
  secretPhrase?: string;
  secretSeed?: string;
  ss58Address?: string;
}

export async function loadHotkey(source: HotkeySource): Promise<KeyringPair> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  if (source.uri) return keyring.addFromUri(source.uri);
  if (!source.wallet || !source.hotkey) {
    throw new Error("Cannot load hotkey: give --mnemonic (or --uri), or --wallet and --hotkey");
  }
  const root = source.walletPath ?? `${Deno.env.get("HOME") ?? "."}/.bittensor/wallets`;
  const path = `${root}/${source.wallet}/hotkeys/${source.hotkey}`;
  let keyfile: Keyfile;
  try {
    keyfile = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new Error(`Cannot load hotkey "${path}": ${(error as Error).message}`);
  }
  const secret = keyfile.secretPhrase ?? keyfile.secretSeed;
  if (!secret) {
    throw new Error(
      `Cannot load hotkey "${path}": it has no secretPhrase or secretSeed (encrypted?)`,
    );
  }
  const pair = keyring.addFromUri(secret);
  if (keyfile.ss58Address && keyfile.ss58Address !== pair.address) {
    throw new Error(
      `Cannot load hotkey "${path}": its secret gives ${pair.address}, not ${keyfile.ss58Address}`,
    );
  }
  return pair;
}
