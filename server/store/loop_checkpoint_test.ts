import { deepEqual, equal, rejects } from "node:assert/strict";
import {
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
} from "@/server/store/loop_checkpoint.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { sampleCheckpoint } from "@/server/store/_sample_checkpoint.ts";

Deno.test("a checkpoint reads back as it was written", async () => {
  const checkpoint = sampleCheckpoint();
  deepEqual(await decodeCheckpoint(await encodeCheckpoint(checkpoint)), checkpoint);
});

Deno.test("a checkpoint names what is wrong with damaged bytes", async () => {
  const bytes = await encodeCheckpoint(sampleCheckpoint());
  const cases: [string, Uint8Array, RegExp][] = [
    ["too short", bytes.subarray(0, 20), /20 bytes, shorter than its 40-byte header/],
    ["bad magic", Uint8Array.of(0x50, ...bytes.subarray(1)), /not a checkpoint/],
    ["truncated", bytes.subarray(0, bytes.length - 1), /checksum mismatch/],
  ];
  const future = bytes.slice();
  new DataView(future.buffer).setUint32(4, 99, true);
  cases.push(["newer format", future, /format 99, this build reads 1/]);
  for (const [name, damaged, message] of cases) {
    await rejects(decodeCheckpoint(damaged), (error: Error) => {
      equal(error instanceof CheckpointError, true, name);
      equal(message.test(error.message), true, `${name}: ${error.message}`);
      return true;
    });
  }
});

Deno.test("a checkpoint whose round differs from its loop's is refused", async () => {
  const checkpoint = sampleCheckpoint();
  checkpoint.loop.round = 39;
  await rejects(
    decodeCheckpoint(await encodeCheckpoint(checkpoint)),
    /loop.round 39 differs from round 40/,
  );
});

Deno.test("fuzz: flipped bytes and truncations of a checkpoint always give a CheckpointError", async () => {
  const bytes = await encodeCheckpoint(sampleCheckpoint());
  const random = new SeededRandom(11);
  for (let trial = 0; trial < 500; trial++) {
    const damaged = trial % 2 === 0
      ? bytes.subarray(0, random.integer(0, bytes.length))
      : bytes.slice();
    if (trial % 2 === 1) {
      const at = random.integer(0, bytes.length);
      damaged[at] ^= random.integer(1, 256);
    }
    await rejects(decodeCheckpoint(damaged), CheckpointError, `trial ${trial}`);
  }
});
