/**
 * The browser wallet, through `@polkadot/extension-dapp` (polkadot{.js},
 * Talisman, SubWallet and any extension that injects `window.injectedWeb3`):
 * list the accounts, sign the session grant with `signRaw`
 * (shared/reference/chain.md §4; extensions wrap the text in <Bytes>, which
 * the validator accepts) and hand out the signer of extrinsics (`signPayload`,
 * for the GenTRX commitment on subtensor, islands/_miner_chain.ts). Loaded with a dynamic import when the miner
 * connects, so the polkadot libraries are their own chunk.
 *
 * @module
 */
import { web3Accounts, web3Enable, web3FromAddress } from "@polkadot/extension-dapp";
import type { Signer } from "@polkadot/api/types";
import { hexToU8a, stringToHex } from "@polkadot/util";

/** The name wallets show when asking to connect. */
export const APP_NAME = "Marketforge";

export interface WalletAccount {
  address: string;
  name: string | null;
  /** The extension holding it, e.g. "polkadot-js". */
  source: string;
}

/** Asks the extensions to connect; throws when there is none, or none allows this site. */
export async function connectWallet(): Promise<WalletAccount[]> {
  const extensions = await web3Enable(APP_NAME);
  if (extensions.length === 0) {
    throw new Error(
      "Cannot connect a wallet: no extension answered. Install polkadot{.js}, Talisman or SubWallet and allow this site",
    );
  }
  const accounts = await web3Accounts();
  if (accounts.length === 0) {
    throw new Error("Cannot connect a wallet: it shares no account with this site");
  }
  return accounts.map((account) => ({
    address: account.address,
    name: account.meta.name ?? null,
    source: account.meta.source,
  }));
}

/** The hotkey's sr25519 signature of the grant text, from its extension's `signRaw`. */
export async function signWithWallet(address: string, message: string): Promise<Uint8Array> {
  const injector = await web3FromAddress(address);
  const signRaw = injector.signer.signRaw;
  if (signRaw === undefined) {
    throw new Error(`Cannot sign: the ${injector.name} extension cannot sign raw messages`);
  }
  const { signature } = await signRaw({ address, data: stringToHex(message), type: "bytes" });
  return hexToU8a(signature);
}

/** The extension's signer of extrinsics for `address`; throws when it cannot sign them. */
export async function walletSigner(address: string): Promise<Signer> {
  const injector = await web3FromAddress(address);
  if (injector.signer.signPayload === undefined) {
    throw new Error(
      `Cannot sign a transaction: the ${injector.name} extension cannot sign payloads`,
    );
  }
  return injector.signer;
}
