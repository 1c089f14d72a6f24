import { equal, rejects } from "node:assert/strict";
import {
  createSessionKey,
  importSessionPublicKey,
  isFrameSigned,
  signFrame,
} from "@/engine/auth/session_key.ts";

const body = new TextEncoder().encode("instructions");

Deno.test("a frame verifies under its session key and sequence only", async () => {
  const key = await createSessionKey();
  const other = await createSessionKey();
  const publicKey = await importSessionPublicKey(key.publicKey);
  const signature = await signFrame(key, 7, body);
  equal(await isFrameSigned(publicKey, 7, body, signature), true);
  equal(await isFrameSigned(publicKey, 8, body, signature), false);
  equal(
    await isFrameSigned(publicKey, 7, new TextEncoder().encode("instructionz"), signature),
    false,
  );
  equal(
    await isFrameSigned(await importSessionPublicKey(other.publicKey), 7, body, signature),
    false,
  );
  equal(await isFrameSigned(publicKey, 7, body, signature.slice(1)), false);
});

Deno.test("malformed public keys are refused with the limit", async () => {
  await rejects(importSessionPublicKey("0x1234"), {
    name: "RangeError",
    message: 'Invalid session key "0x1234": must be 32 bytes as 0x-hex',
  });
  await rejects(importSessionPublicKey("zz"), /must be 32 bytes as 0x-hex/);
});
