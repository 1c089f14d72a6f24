import { equal } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { stringToU8a, u8aWrapBytes } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import {
  grantMessage,
  isGrantSignedByHotkey,
  newChallenge,
  type SessionGrant,
} from "@/engine/auth/session_grant.ts";

await cryptoWaitReady();
const keyring = new Keyring({ type: "sr25519" });
const miner = keyring.addFromUri("//Bob");
const validator = keyring.addFromUri("//Alice");

const grant: SessionGrant = {
  validator: validator.address,
  hotkey: miner.address,
  sessionKey: "0x" + "ab".repeat(32),
  challenge: newChallenge(),
  expiresAt: 1_800_000_000_000,
};

Deno.test("the grant text is the documented multi-line message", () => {
  equal(
    grantMessage(grant),
    `marketforge session grant v1\nvalidator: ${validator.address}\nhotkey: ${miner.address}\n` +
      `session key: 0x${"ab".repeat(32)}\nchallenge: ${grant.challenge}\nexpires: 1800000000000`,
  );
});

Deno.test("raw and wallet-wrapped sr25519 signatures both verify", async () => {
  const message = stringToU8a(grantMessage(grant));
  equal(await isGrantSignedByHotkey(grant, miner.sign(message)), true);
  equal(await isGrantSignedByHotkey(grant, miner.sign(u8aWrapBytes(message))), true);
});

Deno.test("another key, another grant or garbage does not verify", async () => {
  const message = stringToU8a(grantMessage(grant));
  equal(await isGrantSignedByHotkey(grant, validator.sign(message)), false);
  equal(
    await isGrantSignedByHotkey({ ...grant, expiresAt: grant.expiresAt + 1 }, miner.sign(message)),
    false,
  );
  equal(await isGrantSignedByHotkey(grant, new Uint8Array(64)), false);
  equal(
    await isGrantSignedByHotkey({ ...grant, hotkey: "not-an-address" }, new Uint8Array(3)),
    false,
  );
});

Deno.test("challenges are 32 random bytes", () => {
  const a = newChallenge();
  equal(/^0x[0-9a-f]{64}$/.test(a), true);
  equal(a === newChallenge(), false);
});
