import { equal } from "node:assert/strict";
import { TypeRegistry } from "@polkadot/types";
import { SUBTENSOR_SIGNED_EXTENSIONS } from "@/engine/chain/subtensor_extensions.ts";

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
