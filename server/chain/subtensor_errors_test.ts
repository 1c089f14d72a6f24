import { equal } from "node:assert/strict";
import { ChainError } from "@/engine/chain/chain_error.ts";
import { chainErrorFromDispatch, chainErrorFromRpc } from "@/server/chain/subtensor_errors.ts";

Deno.test("pallet dispatch errors keep subtensor's error name as the rule", () => {
  const error = chainErrorFromDispatch("set weights", {
    section: "subtensorModule",
    name: "SettingWeightsTooFast",
    docs: ["Trying to set weights too fast."],
  });
  equal(error instanceof ChainError, true);
  equal(error.rule, "SettingWeightsTooFast");
  equal(
    error.message,
    "Cannot set weights: SubtensorModule.SettingWeightsTooFast (Trying to set weights too fast.)",
  );
  const plain = chainErrorFromDispatch("serve", { type: "BadOrigin" });
  equal(plain.rule, "BadOrigin");
  equal(plain.message, "Cannot serve: BadOrigin");
});

Deno.test("pool rejections map CustomTransactionError codes to names (chain.md §1.4)", () => {
  const cases: [string, string][] = [
    ["1010: Invalid Transaction: Custom error: 6", "RateLimitExceeded"],
    ["1010: Invalid Transaction: Custom error: 10", "HotKeyNotRegisteredInNetwork"],
    ["1010: Invalid Transaction: Custom error: 11", "InvalidIpAddress"],
    ["1010: Invalid Transaction: Custom error: 17", "CommitBlockNotInRevealRange"],
    ["1010: Invalid Transaction: Custom error: 255", "BadRequest"],
    ["1010: Invalid Transaction: Custom error: 99", "CustomTransactionError99"],
    [
      "1010: Invalid Transaction: Inability to pay some fees (e.g. account balance too low)",
      "Payment",
    ],
    ["1010: Invalid Transaction: Transaction is outdated", "Stale"],
    ["1010: Invalid Transaction: Transaction has a bad signature", "InvalidTransaction"],
    ["1014: Priority is too low: (0 vs 0)", "PriorityTooLow"],
  ];
  for (const [message, rule] of cases) equal(chainErrorFromRpc("set weights", message).rule, rule);
  equal(
    chainErrorFromRpc("serve", "1010: Invalid Transaction: Custom error: 12").message,
    "Cannot serve: the chain refused it with ServingRateLimitExceeded " +
      "(1010: Invalid Transaction: Custom error: 12)",
  );
});
