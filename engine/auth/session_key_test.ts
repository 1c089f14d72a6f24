import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import {
  createSessionKey,
  framedMessage,
  sessionPublicKeyBytes,
  signFrame,
} from "@/engine/auth/session_key.ts";

const body = new TextEncoder().encode("instructions");

Deno.test("the signed message is the big-endian sequence, then the body", () => {
  deepEqual(
    [...framedMessage(258, Uint8Array.of(9, 8))],
    [0, 0, 0, 0, 0, 0, 1, 2, 9, 8],
  );
  throws(() => framedMessage(-1, body), /must be a non-negative safe integer/);
  throws(() => framedMessage(1.5, body), /must be a non-negative safe integer/);
});

Deno.test("a session key is 32 bytes of 0x-hex and signs 64-byte Ed25519 signatures", async () => {
  const key = await createSessionKey();
  equal(sessionPublicKeyBytes(key.publicKey).length, 32);
  const signature = await signFrame(key, 7, body);
  equal(signature.length, 64);
  const publicKey = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(sessionPublicKeyBytes(key.publicKey)),
    { name: "Ed25519" },
    false,
    ["verify"],
  );
  equal(
    await crypto.subtle.verify(
      { name: "Ed25519" },
      publicKey,
      new Uint8Array(signature),
      framedMessage(7, body),
    ),
    true,
  );
  await rejects(signFrame(key, -1, body), RangeError);
});

Deno.test("malformed public keys are refused with the limit", () => {
  throws(() => sessionPublicKeyBytes("0x1234"), {
    name: "RangeError",
    message: 'Invalid session key "0x1234": must be 32 bytes as 0x-hex',
  });
  throws(() => sessionPublicKeyBytes("zz"), /must be 32 bytes as 0x-hex/);
});
