/**
 * Fixed-width unsigned integers packed little-endian into bytes, least
 * significant bit first: the in-chunk indices of a compressed delta take
 * ⌈log₂ chunk⌉ bits each (Templar packs 12-bit indices, ml.md §5.2).
 *
 * @module
 */

/** Bytes needed for `count` values of `bits` bits. */
export function packedBytes(count: number, bits: number): number {
  return Math.ceil((count * bits) / 8);
}

/** Packs `values` (each < 2^bits, bits ≤ 24) into `output` from bit 0. */
export function packBits(values: ArrayLike<number>, bits: number, output: Uint8Array): void {
  output.fill(0, 0, packedBytes(values.length, bits));
  let bit = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    for (let b = 0; b < bits; b++, bit++) {
      if ((value >>> b) & 1) output[bit >>> 3] |= 1 << (bit & 7);
    }
  }
}

/** Reads `count` values of `bits` bits packed by `packBits`. */
export function unpackBits(input: Uint8Array, count: number, bits: number): Uint32Array {
  const values = new Uint32Array(count);
  let bit = 0;
  for (let i = 0; i < count; i++) {
    let value = 0;
    for (let b = 0; b < bits; b++, bit++) {
      if ((input[bit >>> 3] >>> (bit & 7)) & 1) value |= 1 << b;
    }
    values[i] = value >>> 0;
  }
  return values;
}
