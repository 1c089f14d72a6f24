/**
 * Verifies miners' signed frames on the validator: one Ed25519 verify per
 * miner per round, the validator's largest cost at a few hundred miners.
 * node:crypto's synchronous verify takes about half the time of WebCrypto's
 * promise-based one here (≈30 vs ≈60 µs a frame, same signatures), so the
 * server checks with it, while miners sign with WebCrypto in the browser and
 * in Deno alike (engine/auth/session_key.ts defines the signed message).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import {
  framedMessage,
  sessionPublicKeyBytes,
  SIGNATURE_BYTES,
} from "@/engine/auth/session_key.ts";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow. */
const ED25519_SPKI_PREFIX = [
  0x30,
  0x2a,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x03,
  0x21,
  0x00,
];

/** A session's public key, ready to verify its frames. */
export type FrameKey = KeyObject;

/** The verifying key of a session public key in 0x-hex; throws a RangeError naming the problem. */
export function frameKey(publicKey: string): FrameKey {
  const raw = sessionPublicKeyBytes(publicKey);
  const der = Buffer.from([...ED25519_SPKI_PREFIX, ...raw]);
  return createPublicKey({ key: der, format: "der", type: "spki" });
}

/** Whether `signature` signs (sequence, body) under `key`; false for any malformed signature. */
export function isFrameSigned(
  key: FrameKey,
  sequence: number,
  body: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  const message = framedMessage(sequence, body);
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
