/**
 * A call the chain refused, named after subtensor's own error (e.g.
 * `CommitmentSetRateLimitExceeded`). Browser-safe, so the validator's chain
 * clients (server/chain/) and a tab signing with its wallet
 * (islands/_miner_chain.ts) throw one class and callers such as
 * engine/chain/bucket_commitment.ts can tell refusals apart by `rule`
 * (chainRule).
 *
 * @module
 */

/** A call the chain refused; `rule` is subtensor's error name. */
export class ChainError extends Error {
  readonly rule: string;

  constructor(rule: string, message: string) {
    super(message);
    this.name = "ChainError";
    this.rule = rule;
  }
}

/**
 * The rule of a chain refusal: a ChainError's, or any Error's with a string
 * `rule` — read by shape, so a refusal still counts after crossing a
 * boundary that drops the class (a structured clone, a module stood in for
 * by tests/browser_miner_commitment_e2e_test.ts).
 */
export function chainRule(error: unknown): string | undefined {
  const rule = (error as { rule?: unknown } | null)?.rule;
  return error instanceof Error && typeof rule === "string" ? rule : undefined;
}
