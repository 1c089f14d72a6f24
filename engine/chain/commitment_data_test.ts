import { deepEqual, equal, throws } from "node:assert/strict";
import {
  commitmentInfo,
  decodeCommitment,
  MAX_RAW_COMMITMENT_BYTES,
} from "@/engine/chain/commitment_data.ts";

Deno.test("commitments are one RawN field of UTF-8 bytes (chain.md §1.1) and decode back", () => {
  deepEqual(commitmentInfo("hello"), { fields: [{ Raw5: "0x68656c6c6f" }] });
  equal(Object.keys(commitmentInfo("b".repeat(22)).fields[0])[0], "Raw22");
  deepEqual(commitmentInfo(""), { fields: [{ Raw0: "0x" }] });
  // Bytes, not characters: "é" is two.
  equal(Object.keys(commitmentInfo("é").fields[0])[0], "Raw2");
  // @polkadot/api's JSON of a CommitmentOf registration.
  equal(
    decodeCommitment({ deposit: 0, block: 12, info: { fields: [{ raw5: "0x68656c6c6f" }] } }),
    "hello",
  );
  equal(decodeCommitment({ info: { fields: [{ blakeTwo256: "0x00" }] } }), null);
  equal(decodeCommitment({ info: { fields: [] } }), null);
  equal(decodeCommitment(null), null);
  throws(() => commitmentInfo("x".repeat(MAX_RAW_COMMITMENT_BYTES + 1)), {
    rule: "CommitmentTooLarge",
    message: "Cannot commit: 129 bytes exceeds the limit of 128",
  });
});
