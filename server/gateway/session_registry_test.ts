/** Session authentication with real sr25519 hotkeys and Ed25519 session keys. */
import { equal, rejects, throws } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { stringToU8a, u8aWrapBytes } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { grantMessage, type SessionGrant } from "@/engine/auth/session_grant.ts";
import { createSessionKey, type SessionKey, signFrame } from "@/engine/auth/session_key.ts";
import { SessionRegistry } from "@/server/gateway/session_registry.ts";

await cryptoWaitReady();
const keyring = new Keyring({ type: "sr25519" });
const validator = keyring.addFromUri("//Alice");
const miner = keyring.addFromUri("//Bob");
const stranger = keyring.addFromUri("//Mallory");

function setup(start = 1_000_000) {
  const clock = { now: start };
  const registry = new SessionRegistry({
    validatorHotkey: validator.address,
    uidOf: (hotkey) => Promise.resolve(hotkey === miner.address ? 3 : undefined),
    now: () => clock.now,
  });
  return { clock, registry };
}

async function signedGrant(
  registry: SessionRegistry,
  signer = miner,
  change: Partial<SessionGrant> = {},
): Promise<{ grant: SessionGrant; signature: Uint8Array; key: SessionKey }> {
  const { challenge, expiresAt } = registry.issueChallenge();
  const key = await createSessionKey();
  const grant: SessionGrant = {
    validator: validator.address,
    hotkey: signer.address,
    sessionKey: key.publicKey,
    challenge,
    expiresAt: expiresAt + 60_000,
    ...change,
  };
  // As a browser wallet does: signRaw wraps the bytes in <Bytes>…</Bytes>.
  return { grant, signature: signer.sign(u8aWrapBytes(stringToU8a(grantMessage(grant)))), key };
}

Deno.test("a registered hotkey opens a session and sends sequenced frames", async () => {
  const { registry } = setup();
  const { grant, signature, key } = await signedGrant(registry);
  const session = await registry.open(grant, signature);
  equal(session.uid, 3);
  const body = new Uint8Array([1, 2, 3]);
  registry.accept(session, 1, body, await signFrame(key, 1, body));
  registry.accept(session, 5, body, await signFrame(key, 5, body));
  equal(session.lastSequence, 5);
});

Deno.test("replayed, reordered and forged frames are refused", async () => {
  const { registry } = setup();
  const { grant, signature, key } = await signedGrant(registry);
  const session = await registry.open(grant, signature);
  const body = new Uint8Array([9]);
  const first = await signFrame(key, 1, body);
  registry.accept(session, 1, body, first);
  throws(() => registry.accept(session, 1, body, first), { reason: "replayed_sequence" });
  const zeroth = await signFrame(key, 0, body);
  throws(() => registry.accept(session, 0, body, zeroth), { reason: "replayed_sequence" });
  const forged = await signFrame(await createSessionKey(), 2, body);
  throws(() => registry.accept(session, 2, body, forged), { reason: "bad_frame_signature" });
  const third = await signFrame(key, 3, body);
  throws(() => registry.accept(session, 3, new Uint8Array([8]), third), {
    reason: "bad_frame_signature",
  });
  // A refused frame does not advance the sequence; the genuine frame 2 still passes, once.
  const second = await signFrame(key, 2, body);
  registry.accept(session, 2, body, second);
  throws(() => registry.accept(session, 2, body, second), { reason: "replayed_sequence" });
});

Deno.test("grants that must not open a session", async () => {
  const { clock, registry } = setup();
  const unknown = await signedGrant(registry, stranger);
  await rejects(registry.open(unknown.grant, unknown.signature), { reason: "unknown_hotkey" });

  const forged = await signedGrant(registry);
  await rejects(
    registry.open(forged.grant, stranger.sign(stringToU8a(grantMessage(forged.grant)))),
    {
      reason: "bad_grant_signature",
    },
  );

  const used = await signedGrant(registry);
  await registry.open(used.grant, used.signature);
  await rejects(registry.open(used.grant, used.signature), { reason: "unknown_challenge" });

  const otherValidator = await signedGrant(registry, miner, { validator: stranger.address });
  await rejects(registry.open(otherValidator.grant, otherValidator.signature), {
    reason: "wrong_validator",
  });

  const tooLong = await signedGrant(registry, miner, { expiresAt: clock.now + 25 * 3600_000 });
  await rejects(registry.open(tooLong.grant, tooLong.signature), { reason: "session_too_long" });

  const badKey = await signedGrant(registry, miner, { sessionKey: "0xdead" });
  await rejects(registry.open(badKey.grant, badKey.signature), { reason: "malformed_grant" });

  const stale = await signedGrant(registry);
  clock.now += 31_000;
  await rejects(registry.open(stale.grant, stale.signature), { reason: "expired_challenge" });
});

Deno.test("a session stops accepting frames when it expires", async () => {
  const { clock, registry } = setup();
  const { grant, signature, key } = await signedGrant(registry);
  const session = await registry.open(grant, signature);
  clock.now = grant.expiresAt;
  const body = new Uint8Array([1]);
  const frame = await signFrame(key, 1, body);
  throws(() => registry.accept(session, 1, body, frame), { reason: "session_expired" });
});
