/**
 * Scoring modules by name: the config's `scoring` setting picks the one the
 * validator loop uses, so a variant (τaos 0.6's de-beta scoring, say) is
 * added here beside Kappa without touching the loop (issue 6).
 *
 * A module turns the trading ledger into per-miner scores and the u16
 * weights set_weights carries, and forgets a UID when its hotkey changes.
 *
 * @example
 * ```ts
 * const scorer = createScoringModule("kappa");
 * const round = scorer.score(ledger, [1, 2], bookCount, uidCount);
 * ```
 *
 * @module
 */
import type { TradingLedger } from "@/server/scoring/trading_ledger.ts";
import {
  type OtherPools,
  type ScoringRound,
  TradingScorer,
} from "@/server/scoring/trading_scorer.ts";

export interface ScoringModule {
  /** The name it is chosen by. */
  readonly name: ScoringModuleName;
  /** Scores `uids` on `bookCount` books for a subnet of `uidCount` UIDs; updates its state. */
  score(
    ledger: TradingLedger,
    uids: readonly number[],
    bookCount: number,
    uidCount: number,
  ): ScoringRound;
  /** Zeroes a UID's state (deregistration, τaos RDRA). */
  reset(uid: number): void;
}

/** Every name the config accepts, the default first. */
export const SCORING_MODULE_NAMES = ["kappa"] as const;

export type ScoringModuleName = typeof SCORING_MODULE_NAMES[number];

export const DEFAULT_SCORING_MODULE: ScoringModuleName = "kappa";

const factories: Record<ScoringModuleName, (pools: OtherPools) => ScoringModule> = {
  /** Kappa-3 and PnL as τaos 0.5.x scores them (taos.md §4.2–4.5). */
  kappa: (pools) => new TradingScorer(pools),
};

export function isScoringModuleName(name: string): name is ScoringModuleName {
  return (SCORING_MODULE_NAMES as readonly string[]).includes(name);
}

/**
 * A fresh module; throws naming the allowed names when `name` is unknown.
 * `pools` feeds the other reward pools (the forecast pool) into its weights.
 */
export function createScoringModule(name: string, pools: OtherPools = {}): ScoringModule {
  if (!isScoringModuleName(name)) {
    throw new RangeError(
      `Unknown scoring module "${name}": must be one of ${SCORING_MODULE_NAMES.join(", ")}`,
    );
  }
  return factories[name](pools);
}
