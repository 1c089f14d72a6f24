/**
 * Turns the trading ledger into scores and chain weights, τaos's pipeline
 * (taos.md §4.2–4.5): Kappa-3 per book → Kappa score, PnL score → trading
 * score → soft floor → rank-Pareto → EMA → pools → u16 weights.
 *
 * @module
 */
import { kappaScore, pnlScore } from "@/engine/scoring/kappa_score.ts";
import { type PnlObservation, taosKappa3 } from "@/engine/scoring/kappa.ts";
import {
  combinePools,
  type PoolInput,
  type PoolName,
  type PoolSplit,
} from "@/engine/scoring/pools.ts";
import { ema, paretoShape, softFloor, tradingScore } from "@/engine/scoring/shaping.ts";
import { toU16Weights } from "@/engine/scoring/u16_weights.ts";
import type { TradingLedger } from "@/server/scoring/trading_ledger.ts";

/** One miner's row of the leaderboard. */
export interface MinerScore {
  uid: number;
  /** Kappa score in [0, 1]; 0 until enough history. */
  kappa: number;
  /** PnL score in [−0.5, 0.5]. */
  pnl: number;
  /** clamp(0.79 kappa + 0.21 pnl, 0, 1). */
  trading: number;
  /** Realised PnL since the first fill, quote. */
  realizedPnl: number;
  fills: number;
  /** The miner's share after shaping and EMA, in [0, 1]. */
  weight: number;
  /** What each pool gave it, as fractions of the emission; they add up to `weight`. */
  pools: Record<PoolName, number>;
}

export interface ScoringRound {
  scores: MinerScore[];
  /** What set_weights carries. */
  weights: { uids: number[]; weights: number[] };
  /** How much of the emission each pool got this round (engine/scoring/pools.ts). */
  pools: PoolSplit;
}

/** The other pools a scorer mixes in beside trading (engine/scoring/pools.ts). */
export interface OtherPools {
  /** The forecast pool's scores by UID (server/forecast/forecast_pool.ts poolInput). */
  forecast?: (uidCount: number) => PoolInput | undefined;
  /** The GenTRX training pool's EMAs by UID (server/gentrx/gentrx_pool.ts poolInput). */
  training?: (uidCount: number) => PoolInput | undefined;
}

/**
 * One miner's Kappa, PnL and trading scores from its PnL history on
 * `bookIds`; `traded` says on which books it had volume in the window
 * (τaos's activity factor).
 */
export function historyScores(
  history: readonly PnlObservation[],
  bookIds: readonly number[],
  traded: (bookId: number) => boolean,
): Pick<MinerScore, "kappa" | "pnl" | "trading"> {
  const result = taosKappa3(history, bookIds);
  const pnlByBook = bookIds.map((id) =>
    history.reduce((sum, o) => sum + (o.pnlByBook.get(id) ?? 0), 0)
  );
  const kappa = result === null ? 0 : kappaScore(bookIds.map((id, i) => ({
    normalizedKappa: result.normalizedPerBook.get(id) ?? null,
    activity: traded(id) ? 1 : 0,
    pnl: pnlByBook[i],
  })));
  const pnl = pnlScore(pnlByBook);
  return { kappa, pnl, trading: tradingScore(kappa, pnl) };
}

/** Scoring module "kappa" (scoring_modules.ts). */
export class TradingScorer {
  readonly name = "kappa" as const;
  /** EMA state by UID. */
  #smoothed: number[] = [];
  readonly #pools: OtherPools;

  constructor(pools: OtherPools = {}) {
    this.#pools = pools;
  }

  /** Scores `uids` (UIDs ≥ 0) on `bookCount` books; updates the EMA. */
  score(
    ledger: TradingLedger,
    uids: readonly number[],
    bookCount: number,
    uidCount: number,
  ): ScoringRound {
    const bookIds = Array.from({ length: bookCount }, (_, id) => id);
    const rows = uids.map((uid) => ({
      uid,
      ...historyScores(ledger.history(uid), bookIds, (id) => ledger.volume(uid, id) > 0),
      ...ledger.totals(uid),
    }));

    const byUid = new Array<number>(uidCount).fill(0);
    for (const row of rows) byUid[row.uid] = row.trading;
    this.#smoothed = ema(this.#smoothed, paretoShape(softFloor(byUid)));
    const { weights, shares, contributions } = combinePools(
      {
        trading: this.#smoothed,
        training: this.#pools.training?.(uidCount),
        forecast: this.#pools.forecast?.(uidCount),
      },
      uidCount,
    );
    const all = Array.from({ length: uidCount }, (_, uid) => uid);
    return {
      scores: rows.map((row) => ({
        ...row,
        weight: weights[row.uid],
        pools: {
          trading: contributions.trading[row.uid],
          training: contributions.training[row.uid],
          forecast: contributions.forecast[row.uid],
        },
      })),
      weights: toU16Weights(all, weights),
      pools: shares,
    };
  }

  /** Zeroes a UID's smoothed score (deregistration, τaos RDRA). */
  reset(uid: number): void {
    if (uid < this.#smoothed.length) this.#smoothed[uid] = 0;
  }
}
