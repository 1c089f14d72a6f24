/**
 * Subtensor's refusals as ChainErrors named after the chain's own error:
 * dispatch errors of an included extrinsic (a pallet error such as
 * `SubtensorModule.SettingWeightsTooFast`, or a system error such as
 * `BadOrigin`) and transaction-pool rejections, where the runtime's
 * `SubtensorTransactionExtension` answers `Invalid(Custom(n))`
 * (shared/reference/chain.md §1.4).
 *
 * @module
 */
import { ChainError } from "@/engine/chain/chain_error.ts";

/** subtensor's `CustomTransactionError` codes (chain.md §1.4) → names. */
export const CUSTOM_TRANSACTION_ERRORS: Readonly<Record<number, string>> = {
  6: "RateLimitExceeded",
  10: "HotKeyNotRegisteredInNetwork",
  11: "InvalidIpAddress",
  12: "ServingRateLimitExceeded",
  13: "InvalidPort",
  15: "InvalidRevealRound",
  16: "CommitNotFound",
  17: "CommitBlockNotInRevealRange",
  18: "InputLengthsUnequal",
  19: "UidNotFound",
  255: "BadRequest",
};

/** A dispatch error as @polkadot/api describes it. */
export type DispatchFailure =
  /** A pallet's error, from `registry.findMetaError(error.asModule)`. */
  | { section: string; name: string; docs: readonly string[] }
  /** Any other DispatchError variant (`BadOrigin`, `Token`, …) with its detail. */
  | { type: string; detail?: string };

/** `Cannot set weights: SubtensorModule.SettingWeightsTooFast (…docs)` as a ChainError. */
export function chainErrorFromDispatch(action: string, failure: DispatchFailure): ChainError {
  if ("section" in failure) {
    const docs = failure.docs.join(" ").trim();
    return new ChainError(
      failure.name,
      `Cannot ${action}: ${upperFirst(failure.section)}.${failure.name}${docs ? ` (${docs})` : ""}`,
    );
  }
  return new ChainError(
    failure.type,
    `Cannot ${action}: ${failure.type}${failure.detail ? ` (${failure.detail})` : ""}`,
  );
}

/**
 * A JSON-RPC error from submitting a transaction, e.g. `1010: Invalid
 * Transaction: Custom error: 6`; the rule is the custom error's name, or a
 * short name for the standard validity errors.
 */
export function chainErrorFromRpc(action: string, message: string): ChainError {
  const custom = /Custom error: (\d+)/.exec(message);
  if (custom) {
    const code = Number(custom[1]);
    const name = CUSTOM_TRANSACTION_ERRORS[code] ?? `CustomTransactionError${code}`;
    return new ChainError(name, `Cannot ${action}: the chain refused it with ${name} (${message})`);
  }
  const standard: [RegExp, string][] = [
    [/Inability to pay some fees|Payment/i, "Payment"],
    [/outdated|stale/i, "Stale"],
    [/ancient birth|AncientBirthBlock/i, "AncientBirthBlock"],
    [/bad ?proof|BadSigner|Invalid signature/i, "BadProof"],
    [/Priority is too low/i, "PriorityTooLow"],
    [/Transaction is temporarily banned/i, "TemporarilyBanned"],
  ];
  const rule = standard.find(([pattern]) => pattern.test(message))?.[1] ?? "InvalidTransaction";
  return new ChainError(rule, `Cannot ${action}: ${message}`);
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
