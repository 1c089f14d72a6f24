/**
 * A call the chain refused, named after subtensor's own error (e.g.
 * `CommitmentSetRateLimitExceeded`). Browser-safe, so a tab signing with its
 * wallet (islands/_miner_chain.ts) and the server's chain clients can share
 * one error; server/chain/chain_client.ts still declares its own copy until
 * it re-exports this one.
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

/** The rule of a chain refusal, from this ChainError or another with a `rule` (server/chain's). */
export function chainRule(error: unknown): string | undefined {
  const rule = (error as { rule?: unknown } | null)?.rule;
  return error instanceof Error && typeof rule === "string" ? rule : undefined;
}
