/**
 * The ephemeral Ed25519 session key a grant authorises (session_grant.ts),
 * using WebCrypto so it is native and fast in both Deno and the browser.
 * Miners sign with it here; the validator verifies their frames in
 * server/gateway/frame_verifier.ts.
 *
 * A signed frame covers the sequence number and the body together:
 * `uint64 big-endian sequence ‖ body`, so a signature cannot be replayed
 * under another sequence number and a body cannot be swapped.
 *
 * @module
 */
import { hexToU8a, u8aToHex } from "@polkadot/util";

const ED25519 = { name: "Ed25519" } as const;
const PUBLIC_KEY_BYTES = 32;
/** Length of an Ed25519 signature. */
export const SIGNATURE_BYTES = 64;

export interface SessionKey {
  /** The public key as 0x-hex, the form a grant carries. */
  publicKey: string;
  privateKey: CryptoKey;
}

/** Creates a new session key; the private half cannot be exported. */
export async function createSessionKey(): Promise<SessionKey> {
  const pair = await crypto.subtle.generateKey(ED25519, false, ["sign", "verify"]) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { publicKey: u8aToHex(raw), privateKey: pair.privateKey };
}

/** The 32 bytes of a session public key given as 0x-hex; throws naming the problem. */
export function sessionPublicKeyBytes(publicKey: string): Uint8Array {
  const bytes = /^0x[0-9a-f]*$/i.test(publicKey) ? hexToU8a(publicKey) : new Uint8Array();
  if (bytes.length !== PUBLIC_KEY_BYTES) {
    throw new RangeError(
      `Invalid session key "${
        publicKey.slice(0, 80)
      }": must be ${PUBLIC_KEY_BYTES} bytes as 0x-hex`,
    );
  }
  return bytes;
}

/** Signs one frame: its sequence number and body. */
export async function signFrame(
  key: SessionKey,
  sequence: number,
  body: Uint8Array,
): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign(ED25519, key.privateKey, framedMessage(sequence, body)),
  );
}

/**
 * The signed message of a frame: `uint64 big-endian sequence ‖ body`. The
 * validator verifies it (server/gateway/frame_verifier.ts).
 */
export function framedMessage(sequence: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new RangeError(`Invalid sequence ${sequence}: must be a non-negative safe integer`);
  }
  const bytes = new Uint8Array(8 + body.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(sequence));
  bytes.set(body, 8);
  return bytes;
}
