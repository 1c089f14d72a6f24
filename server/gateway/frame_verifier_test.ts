import { equal, throws } from "node:assert/strict";
import { createSessionKey, signFrame } from "@/engine/auth/session_key.ts";
import { frameKey, isFrameSigned } from "@/server/gateway/frame_verifier.ts";

const body = new TextEncoder().encode("instructions");

Deno.test("a WebCrypto-signed frame verifies under its session key and sequence only", async () => {
  const key = await createSessionKey();
  const other = await createSessionKey();
  const verifier = frameKey(key.publicKey);
  const signature = await signFrame(key, 7, body);
  equal(isFrameSigned(verifier, 7, body, signature), true);
  equal(isFrameSigned(verifier, 8, body, signature), false);
  equal(isFrameSigned(verifier, 7, new TextEncoder().encode("instructionz"), signature), false);
  equal(isFrameSigned(frameKey(other.publicKey), 7, body, signature), false);
  equal(isFrameSigned(verifier, 7, body, signature.slice(1)), false);
  equal(isFrameSigned(verifier, 7, body, new Uint8Array(64).fill(0xff)), false);
});

Deno.test("malformed session keys are refused with the limit", () => {
  throws(() => frameKey("0x1234"), {
    name: "RangeError",
    message: 'Invalid session key "0x1234": must be 32 bytes as 0x-hex',
  });
  throws(() => frameKey("zz"), /must be 32 bytes as 0x-hex/);
});

Deno.test("a bad sequence number is refused before verifying", async () => {
  const key = await createSessionKey();
  const signature = await signFrame(key, 1, body);
  throws(() => isFrameSigned(frameKey(key.publicKey), -1, body, signature), RangeError);
});
