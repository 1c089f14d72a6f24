/**
 * Commit-reveal "v2" (hash based) as subtensor checks it
 * (shared/reference/chain.md §1.5): a validator first sends
 * `commit_weights(netuid, hash)` and, in the reveal epoch,
 * `reveal_weights(netuid, uids, values, salt, version_key)`. The chain
 * recomputes
 *
 *     blake2_256(SCALE((AccountId32 hotkey, u16 netuid_index,
 *                       Vec<u16> uids, Vec<u16> values, Vec<u16> salt,
 *                       u64 version_key)))
 *
 * and accepts the reveal only if it equals the committed hash. A SCALE tuple
 * is the concatenation of its fields; a Vec is its compact length followed
 * by its items; integers are little-endian.
 *
 * @example
 * ```ts
 * const hash = weightsCommitHash({
 *   hotkey: decodeAddress(pair.address), netuidIndex: 1,
 *   uids: [1, 2], values: [65535, 32768], salt: weightsSalt(), versionKey: 1000n,
 * });
 * ```
 *
 * @module
 */
import { blake2AsHex } from "@polkadot/util-crypto";

/** What a reveal must repeat exactly. */
export interface WeightsCommit {
  /** The 32-byte public key of the committing hotkey. */
  hotkey: Uint8Array;
  /** mechanism · 4096 + netuid; the netuid for the main mechanism (chain.md §1). */
  netuidIndex: number;
  uids: readonly number[];
  values: readonly number[];
  salt: readonly number[];
  versionKey: bigint;
}

/** Salt length the Python SDK uses (8 u16 values). */
export const SALT_LENGTH = 8;
const U16_LIMIT = 0x1_0000;
const U64_LIMIT = 1n << 64n;

/** SCALE compact encoding of a length (the prefix of every Vec). */
export function scaleCompactLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length >= 2 ** 30) {
    throw new RangeError(`Invalid SCALE length ${length}: must be an integer from 0 to 2^30 - 1`);
  }
  if (length < 1 << 6) return Uint8Array.of(length << 2);
  if (length < 1 << 14) return Uint8Array.of(((length << 2) | 0b01) & 0xff, length >> 6);
  const value = (length * 4 + 0b10) >>> 0;
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
}

/** SCALE `u16`. */
export function scaleU16(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value >= U16_LIMIT) {
    throw new RangeError(`Invalid u16 ${value}: must be an integer from 0 to 65535`);
  }
  return Uint8Array.of(value & 0xff, value >> 8);
}

/** SCALE `Vec<u16>`. */
export function scaleVecU16(values: readonly number[]): Uint8Array {
  return concat([scaleCompactLength(values.length), ...values.map(scaleU16)]);
}

/** SCALE `u64`. */
export function scaleU64(value: bigint): Uint8Array {
  if (value < 0n || value >= U64_LIMIT) {
    throw new RangeError(`Invalid u64 ${value}: must be from 0 to 2^64 - 1`);
  }
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
}

/** The SCALE bytes the chain hashes (see the module comment). */
export function weightsCommitPreimage(commit: WeightsCommit): Uint8Array {
  if (commit.hotkey.length !== 32) {
    throw new RangeError(`Invalid hotkey: ${commit.hotkey.length} bytes, expected 32`);
  }
  return concat([
    commit.hotkey,
    scaleU16(commit.netuidIndex),
    scaleVecU16(commit.uids),
    scaleVecU16(commit.values),
    scaleVecU16(commit.salt),
    scaleU64(commit.versionKey),
  ]);
}

/** `commit_weights`' hash: blake2-256 of the preimage, as 0x-hex (an H256). */
export function weightsCommitHash(commit: WeightsCommit): `0x${string}` {
  return blake2AsHex(weightsCommitPreimage(commit), 256) as `0x${string}`;
}

/** A fresh random salt: SALT_LENGTH u16 values from the platform CSPRNG. */
export function weightsSalt(): number[] {
  return [...crypto.getRandomValues(new Uint16Array(SALT_LENGTH))];
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}
