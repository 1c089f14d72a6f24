import { deepEqual, equal } from "node:assert/strict";
import { packBits, packedBytes, unpackBits } from "@/engine/gentrx/compression/bit_pack.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

Deno.test("packed indices round trip exactly for widths 1 to 12", () => {
  const random = new SeededRandom(21);
  for (let bits = 1; bits <= 12; bits++) {
    const values = Uint32Array.from({ length: 97 }, () => random.integer(0, 1 << bits));
    const packed = new Uint8Array(packedBytes(values.length, bits));
    packBits(values, bits, packed);
    equal(packed.length, Math.ceil((97 * bits) / 8));
    deepEqual(unpackBits(packed, values.length, bits), values);
  }
});

Deno.test("two 12-bit indices take 3 bytes, as Templar packs them", () => {
  const packed = new Uint8Array(packedBytes(2, 12));
  packBits([0xabc, 0x123], 12, packed);
  deepEqual([...packed], [0xbc, 0x3a, 0x12]);
});
