import { deepEqual, equal, throws } from "node:assert/strict";
import { TypeRegistry } from "@polkadot/types";
import {
  commitmentInfo,
  commitWeightsArgs,
  decodeCommitment,
  MAX_RAW_COMMITMENT_BYTES,
  revealWeightsArgs,
  serveAxonArgs,
  setWeightsArgs,
  SUBTENSOR_SIGNED_EXTENSIONS,
} from "@/server/chain/subtensor_calls.ts";

/** The TxExtension tuple of subtensor spec 425 (chain.md §1.8). */
const SPEC_425_EXTENSIONS = [
  "CheckNonZeroSender",
  "CheckSpecVersion",
  "CheckTxVersion",
  "CheckGenesis",
  "CheckMortality",
  "CheckNonce",
  "CheckWeight",
  "ChargeTransactionPaymentWrapper",
  "SudoTransactionExtension",
  "CheckShieldedTxValidity",
  "SubtensorTransactionExtension",
  "DrandPriority",
  "CheckMetadataHash",
];

Deno.test("set_weights / reveal_weights arguments follow the call's field order and rules", () => {
  deepEqual(setWeightsArgs(1, [1, 2, 3], [65535, 32768, 16384], 1000n), [
    1,
    [1, 2, 3],
    [65535, 32768, 16384],
    1000n,
  ]);
  deepEqual(revealWeightsArgs(3, [0], [1], [9, 9], 7n), [3, [0], [1], [9, 9], 7n]);
  throws(() => setWeightsArgs(1, [1, 2], [1], 0n), {
    rule: "WeightVecNotEqualSize",
    message: "Cannot set weights: 2 uids, 1 weights",
  });
  throws(() => setWeightsArgs(1, [1, 1], [1, 2], 0n), { rule: "DuplicateUids" });
  throws(() => setWeightsArgs(0, [1], [1], 0n), { rule: "CanNotSetRootNetworkWeights" });
  throws(() => setWeightsArgs(1, [1], [65536], 0n), /65536 is not a u16/);
});

Deno.test("commit_weights takes an H256; serve_axon gets the SDK's protocol 4 and zero placeholders", () => {
  const hash = `0x${"ab".repeat(32)}` as const;
  deepEqual(commitWeightsArgs(2, hash), [2, hash]);
  throws(() => commitWeightsArgs(2, "0x1234"), /must be 32 bytes of 0x-hex/);
  deepEqual(serveAxonArgs(1, 1000, { ip: 0x7f000002n, ipType: 4, port: 8091 }), [
    1,
    1000,
    0x7f000002n,
    8091,
    4,
    4,
    0,
    0,
  ]);
});

Deno.test("commitments are one RawN field of UTF-8 bytes (chain.md §1.1) and decode back", () => {
  deepEqual(commitmentInfo("hello"), { fields: [{ Raw5: "0x68656c6c6f" }] });
  equal(Object.keys(commitmentInfo("b".repeat(22)).fields[0])[0], "Raw22");
  deepEqual(commitmentInfo(""), { fields: [{ Raw0: "0x" }] });
  // @polkadot/api's JSON of a CommitmentOf registration.
  equal(
    decodeCommitment({ deposit: 0, block: 12, info: { fields: [{ raw5: "0x68656c6c6f" }] } }),
    "hello",
  );
  equal(decodeCommitment({ info: { fields: [{ blakeTwo256: "0x00" }] } }), null);
  equal(decodeCommitment(null), null);
  throws(() => commitmentInfo("x".repeat(MAX_RAW_COMMITMENT_BYTES + 1)), {
    rule: "CommitmentTooLarge",
    message: "Cannot commit: 129 bytes exceeds the limit of 128",
  });
});

Deno.test("declared extensions put ChargeTransactionPaymentWrapper's compact tip into what is signed", () => {
  const payload = (extensions?: typeof SUBTENSOR_SIGNED_EXTENSIONS) => {
    const registry = new TypeRegistry();
    registry.setSignedExtensions(SPEC_425_EXTENSIONS, extensions, true);
    return registry.createType("ExtrinsicPayload", {
      method: "0x0700",
      era: "0x00",
      nonce: 5,
      tip: 7,
      specVersion: 425,
      transactionVersion: 1,
      genesisHash: `0x${"11".repeat(32)}`,
      blockHash: `0x${"22".repeat(32)}`,
      mode: 0,
    }, { version: 4 }).toHex();
  };
  const tail = `a9010000` + `01000000` + "11".repeat(32) + "22".repeat(32) + "00";
  // call (length-prefixed) | immortal era | nonce 5 | tip 7 | mode 0 | implicit data
  equal(payload(SUBTENSOR_SIGNED_EXTENSIONS), `0x080700` + `00` + `14` + `1c` + `00` + tail);
  // Left unknown, the wrapper is treated as empty and the tip byte is missing.
  equal(payload(), `0x080700` + `00` + `14` + `00` + tail);
});
