import { deepEqual, equal, notDeepEqual, throws } from "node:assert/strict";
import { TypeRegistry } from "@polkadot/types";
import { u8aToHex } from "@polkadot/util";
import { decodeAddress } from "@polkadot/util-crypto";
import {
  SALT_LENGTH,
  scaleCompactLength,
  scaleU16,
  scaleU64,
  scaleVecU16,
  type WeightsCommit,
  weightsCommitHash,
  weightsCommitPreimage,
  weightsSalt,
} from "@/server/chain/weights_commit.ts";

/** //Alice, the hotkey of chain.md §3's commit-reveal flow. */
const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const commit: WeightsCommit = {
  hotkey: decodeAddress(ALICE),
  netuidIndex: 1,
  uids: [1, 2, 3],
  values: [65535, 32768, 16384],
  salt: [0, 1, 2, 3, 4, 5, 6, 7],
  versionKey: 1000n,
};

Deno.test("SCALE compact lengths: the codec's single, two and four byte modes", () => {
  const cases: [number, string][] = [
    [0, "0x00"],
    [1, "0x04"],
    [63, "0xfc"],
    [64, "0x0101"],
    [16383, "0xfdff"],
    [16384, "0x02000100"],
    [2 ** 30 - 1, "0xfeffffff"],
  ];
  for (const [length, hex] of cases) equal(u8aToHex(scaleCompactLength(length)), hex, `${length}`);
  throws(() => scaleCompactLength(2 ** 30), /Invalid SCALE length 1073741824/);
});

Deno.test("SCALE integers are little-endian and range-checked", () => {
  equal(u8aToHex(scaleU16(0x1234)), "0x3412");
  equal(u8aToHex(scaleVecU16([1, 65535])), "0x080100ffff");
  equal(u8aToHex(scaleU64(1000n)), "0xe803000000000000");
  throws(() => scaleU16(65536), /Invalid u16 65536/);
  throws(() => scaleU64(-1n), /Invalid u64 -1/);
});

Deno.test("the preimage is the SCALE tuple (AccountId32, u16, Vec<u16> ×3, u64), as @polkadot/types encodes it", () => {
  const expected = new TypeRegistry().createType(
    "(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)",
    [ALICE, 1, commit.uids, commit.values, commit.salt, 1000],
  ).toU8a();
  deepEqual(weightsCommitPreimage(commit), expected);
  equal(
    u8aToHex(weightsCommitPreimage(commit)),
    "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d" + // hotkey
      "0100" + // netuid 1
      "0c010002000300" + // uids
      "0cffff00800040" + // values
      "2000000100020003000400050006000700" + // salt
      "e803000000000000", // version key
  );
});

Deno.test("the commit hash is blake2-256 of the preimage (fixed vector)", () => {
  equal(
    weightsCommitHash(commit),
    "0xaf92fd63f9ee969df15b9a9fa4c24ec35c995d4270a4a1a2a55205bb4e4ff0e6",
  );
  notDeepEqual(weightsCommitHash({ ...commit, versionKey: 1001n }), weightsCommitHash(commit));
  throws(
    () => weightsCommitHash({ ...commit, hotkey: new Uint8Array(31) }),
    /31 bytes, expected 32/,
  );
});

Deno.test("salts are SALT_LENGTH u16 values and differ between commits", () => {
  const [a, b] = [weightsSalt(), weightsSalt()];
  equal(a.length, SALT_LENGTH);
  equal(a.every((value) => Number.isInteger(value) && value >= 0 && value <= 65535), true);
  notDeepEqual(a, b);
});
