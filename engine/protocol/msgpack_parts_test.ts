import { deepEqual, equal, throws } from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { encodeFrame, encodeStateFrame } from "@/engine/gateway/frames.ts";
import {
  BinaryParts,
  binHeader,
  joinParts,
  mapParts,
  ScratchJoiner,
} from "@/engine/protocol/msgpack_parts.ts";
import { encodeStateUpdate } from "@/engine/protocol/state_update.ts";

/** Bytes 0, 1, 2, … of `length`: one size per bin format and across their edges. */
const bytesOf = (length: number) => Uint8Array.from({ length }, (_, i) => i & 0xff);
const LENGTHS = [0, 1, 0xff, 0x100, 0xffff, 0x10000, 70_000];

Deno.test("binHeader and mapParts write what @msgpack/msgpack encode writes", () => {
  for (const length of LENGTHS) {
    const value = bytesOf(length);
    deepEqual(joinParts([binHeader(length), value]), encode(value));
    const split = [value.subarray(0, length >> 1), value.subarray(length >> 1)];
    deepEqual(
      joinParts(mapParts([["a", 1], ["bytes", new BinaryParts(split)], ["z", "end"]])),
      encode({ a: 1, bytes: value, z: "end" }),
    );
  }
  const wide = Array.from({ length: 20 }, (_, i) => [`k${i}`, i] as const);
  deepEqual(joinParts(mapParts(wide)), encode(Object.fromEntries(wide)));
  throws(() => binHeader(-1), /Invalid bin length -1/);
});

Deno.test("encodeStateFrame writes encodeFrame's bytes for a state frame", () => {
  const own = {
    version: 1,
    timestamp: 1_000_000_000,
    accounts: {},
    notices: [{ y: "ESS" as const, t: 1_000_000_000 }],
  };
  for (const length of LENGTHS) {
    const books = bytesOf(length);
    const body = encodeStateUpdate(books, own);
    deepEqual(body, encode({ books, own: encode(own) }));
    for (const step of [1, 200, 70_000, 2 ** 33]) {
      deepEqual(
        encodeStateFrame(step, [body.subarray(0, 3), body.subarray(3)]),
        encodeFrame({ t: "state", v: 1, step, body }),
      );
    }
  }
});

Deno.test("a scratch joiner gives each frame's exact bytes in one reused, growing buffer", () => {
  const scratch = new ScratchJoiner();
  const own = { version: 1, timestamp: 5, accounts: {}, notices: [] };
  let previous: Uint8Array | undefined;
  for (const length of [...LENGTHS, 3, 70_000]) {
    const body = encodeStateUpdate(bytesOf(length), own);
    const expected = encodeFrame({ t: "state", v: 1, step: length, body });
    const joined = encodeStateFrame(length, [body.subarray(0, 2), body.subarray(2)], scratch);
    deepEqual(joined, expected);
    if (previous !== undefined && joined.length <= previous.buffer.byteLength) {
      equal(joined.buffer, previous.buffer, "no new buffer while the old one is large enough");
    }
    previous = joined;
  }
});
