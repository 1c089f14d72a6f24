/**
 * Writing a msgpack map whose last values are large byte strings without
 * re-encoding them: the validator sends every miner the same encoded books
 * inside its own frame each round, and copying them once into an exactly
 * sized buffer is far cheaper than letting the encoder grow its buffer
 * around them per miner. The bytes are the ones `encode` from
 * @msgpack/msgpack writes for the same map (msgpack_parts_test.ts checks).
 *
 * @module
 */
import { Encoder } from "@msgpack/msgpack";

/** Encodes small values (keys, scalars); `encode` returns a copy, so it is shared. */
const encoder = new Encoder();

/** The msgpack bytes of one value (small ones: keys and scalars). */
export function encodeValue(value: unknown): Uint8Array {
  return encoder.encode(value);
}

/** The header of a msgpack bin of `length` bytes: bin 8, 16 or 32, the smallest that fits. */
export function binHeader(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0 || length > 0xffff_ffff) {
    throw new RangeError(`Invalid bin length ${length}: must be an integer in [0, 2^32)`);
  }
  if (length < 0x100) return Uint8Array.of(0xc4, length);
  if (length < 0x10000) return Uint8Array.of(0xc5, length >> 8, length & 0xff);
  const header = new Uint8Array(5);
  header[0] = 0xc6;
  new DataView(header.buffer).setUint32(1, length);
  return header;
}

/** The header of a msgpack map of `size` entries (fixmap or map 16). */
export function mapHeader(size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 0 || size > 0xffff) {
    throw new RangeError(`Invalid map size ${size}: must be an integer in [0, 65535]`);
  }
  return size < 16 ? Uint8Array.of(0x80 | size) : Uint8Array.of(0xde, size >> 8, size & 0xff);
}

/** A byte-string value given as parts, written as one msgpack bin (see `mapParts`). */
export class BinaryParts {
  readonly parts: readonly Uint8Array[];

  constructor(parts: readonly Uint8Array[]) {
    this.parts = parts;
  }
}

/**
 * The parts of a msgpack map, in order and not joined (join with
 * `joinParts`): a BinaryParts value becomes one bin of its parts (so a value
 * may itself be such a map's parts), any other value is encoded as usual.
 */
export function mapParts(
  entries: readonly (readonly [key: string, value: unknown])[],
): Uint8Array[] {
  const parts = [mapHeader(entries.length)];
  for (const [key, value] of entries) {
    parts.push(encodeValue(key));
    if (value instanceof BinaryParts) {
      parts.push(binHeader(partsLength(value.parts)), ...value.parts);
    } else parts.push(encodeValue(value));
  }
  return parts;
}

/** Total bytes of `parts`. */
export function partsLength(parts: readonly Uint8Array[]): number {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  return length;
}

/** `parts` copied into one buffer of exactly their size. */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  return copyParts(parts, new Uint8Array(partsLength(parts)));
}

/**
 * Joins parts into one buffer it keeps from call to call: each result is a
 * view that the next join overwrites. For frames handed straight to a
 * WebSocket, which copies what it sends, this saves allocating and zeroing
 * a fresh buffer per miner per round (a tenth of the validator's CPU at 256
 * miners went there).
 */
export class ScratchJoiner {
  #buffer = new Uint8Array(0);

  /** `parts` joined; valid until the next call. */
  join(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
    const length = partsLength(parts);
    if (length > this.#buffer.length) {
      this.#buffer = new Uint8Array(Math.max(length, 2 * this.#buffer.length));
    }
    return copyParts(parts, this.#buffer.subarray(0, length));
  }
}

function copyParts(
  parts: readonly Uint8Array[],
  into: Uint8Array<ArrayBuffer>,
): Uint8Array<ArrayBuffer> {
  let at = 0;
  for (const part of parts) {
    into.set(part, at);
    at += part.byteLength;
  }
  return into;
}
