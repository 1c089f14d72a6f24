/**
 * The session grant: how a miner proves its hotkey once per connection.
 *
 * A browser tab cannot host a Bittensor axon, so miners dial out to the
 * validator (ARCHITECTURE.md decision 2). The validator sends a one-time
 * challenge; the miner's wallet signs, with the sr25519 hotkey, a grant
 * that binds an ephemeral session key to (validator, hotkey, challenge,
 * expiry). Every later response is signed by the session key alone, so the
 * wallet prompts once and each response costs one fast Ed25519 signature
 * instead of an sr25519 one (about 0.3 ms vs 1.5 ms to verify here).
 *
 * The grant text is human-readable because wallets show it when signing
 * (`signRaw`). Wallet extensions wrap it as `<Bytes>…</Bytes>`; both forms
 * verify, as with btwallet (shared/reference/chain.md §2, §4).
 *
 * @module
 */
import { u8aToHex } from "@polkadot/util";
import { cryptoWaitReady, signatureVerify } from "@polkadot/util-crypto";

/** First line of every grant; bump the version if the format changes. */
export const GRANT_HEADER = "marketforge session grant v1";

export interface SessionGrant {
  /** The validator's hotkey (ss58). */
  validator: string;
  /** The miner's hotkey (ss58) that signs the grant. */
  hotkey: string;
  /** The Ed25519 session public key, 32 bytes as 0x-hex. */
  sessionKey: string;
  /** The validator's one-time challenge, as sent (0x-hex). */
  challenge: string;
  /** When the session ends, in Unix milliseconds. */
  expiresAt: number;
}

/**
 * The exact text the hotkey signs, e.g.
 *
 * ```text
 * marketforge session grant v1
 * validator: 5F…
 * hotkey: 5G…
 * session key: 0x3b6a…
 * challenge: 0x9c1e…
 * expires: 1795000000000
 * ```
 */
export function grantMessage(grant: SessionGrant): string {
  return [
    GRANT_HEADER,
    `validator: ${grant.validator}`,
    `hotkey: ${grant.hotkey}`,
    `session key: ${grant.sessionKey}`,
    `challenge: ${grant.challenge}`,
    `expires: ${grant.expiresAt}`,
  ].join("\n");
}

/** Whether `signature` is `grant.hotkey`'s sr25519 signature of the grant text. */
export async function isGrantSignedByHotkey(
  grant: SessionGrant,
  signature: Uint8Array,
): Promise<boolean> {
  await cryptoWaitReady();
  try {
    return signatureVerify(grantMessage(grant), signature, grant.hotkey).isValid;
  } catch {
    // A malformed address or signature is simply not a valid signature.
    return false;
  }
}

/** A fresh one-time challenge: 32 random bytes as 0x-hex. */
export function newChallenge(): string {
  return u8aToHex(crypto.getRandomValues(new Uint8Array(32)));
}
