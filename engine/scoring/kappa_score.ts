/**
 * τaos's `calculate_kappa_score` (shared/reference/taos.md §4.3): from each
 * book's normalised Kappa-3 to one trading score, with the activity and PnL
 * factors, the inactive-book tolerance and the left-tail outlier penalty.
 *
 * @module
 */
import { clamp, median, quantile } from "@/engine/scoring/statistics.ts";

export interface KappaScoreOptions {
  /** Share of books that may have no K before the rest count as 0 (τaos 0.375). */
  inactiveTolerance: number;
  /** Activity factor impact of round-trip volume (τaos default 0). */
  activityImpact: number;
  /** PnL factor impact (τaos default 0). */
  pnlImpact: number;
  /** Per-book capital, quote (τaos miner_wealth 50 000). */
  wealth: number;
  /** Turnover cap multiple (τaos 10): V = cap × wealth. */
  turnoverCap: number;
  lookbackNs: number;
}

export const TAOS_KAPPA_SCORE: KappaScoreOptions = {
  inactiveTolerance: 0.375,
  activityImpact: 0,
  pnlImpact: 0,
  wealth: 50_000,
  turnoverCap: 10,
  lookbackNs: 10_800e9,
};

export interface BookInputs {
  /** Normalised Kappa-3 in [0, 1], or null when the book has none. */
  normalizedKappa: number | null;
  /** Persistent activity factor a_b (see activityFactor). */
  activity: number;
  /** Realised PnL over the lookback, quote. */
  pnl: number;
}

const NS_PER_DAY = 86_400e9;
const MAX_FACTOR = 2;
/** IQR floor of the outlier threshold, and the 1.5 × IQR fence (τaos). */
const IQR_FLOOR = 0.01;
const FENCE = 1.5;
/** Penalty applies when the median score is below this (τaos). */
const PENALTY_MEDIAN = 0.5;
const PENALTY_DECAY = 5;

/**
 * The activity factor when the book had round-trip volume in the latest
 * sampling interval: min(1 + (RT volume over the lookback / V)·impact, 2).
 */
export function activeFactor(roundTripVolume: number, options = TAOS_KAPPA_SCORE): number {
  const cap = options.turnoverCap * options.wealth;
  return Math.min(1 + (roundTripVolume / cap) * options.activityImpact, MAX_FACTOR);
}

/** The miner's Kappa score in [0, 1]. */
export function kappaScore(books: readonly BookInputs[], options = TAOS_KAPPA_SCORE): number {
  const scores: number[] = [];
  let missing = 0;
  for (const book of books) {
    if (book.normalizedKappa === null) {
      missing++;
      continue;
    }
    const nk = book.normalizedKappa;
    const ratio = book.pnl / (options.wealth * options.lookbackNs / NS_PER_DAY);
    const pnlFactor = Math.min(1 + (Math.max(1 + ratio, 0) - 1) * options.pnlImpact, MAX_FACTOR);
    const c = book.activity * pnlFactor;
    const weighted = c < 1 || nk > 0.5 ? c * nk : (2 - c) * nk;
    scores.push(Math.min(weighted, 1));
  }
  const tolerated = Math.floor(options.inactiveTolerance * books.length);
  for (let i = tolerated; i < missing; i++) scores.push(0);
  if (scores.length === 0) return 0;
  return Math.max(median(scores) - outlierPenalty(scores), 0);
}

/**
 * ((0.5 − m)/1.5)(1 − e^{−5·IQR}) when some scores fall below
 * Q1 − 1.5·max(IQR, 0.01) and the median m is under 0.5; else 0.
 */
export function outlierPenalty(scores: readonly number[]): number {
  const q1 = quantile(scores, 0.25);
  const iqr = quantile(scores, 0.75) - q1;
  const threshold = q1 - FENCE * Math.max(iqr, IQR_FLOOR);
  const m = median(scores);
  if (!scores.some((score) => score < threshold) || m >= PENALTY_MEDIAN) return 0;
  return ((PENALTY_MEDIAN - m) / FENCE) * (1 - Math.exp(-PENALTY_DECAY * iqr));
}

/** τaos PnL score (§4.4): median over books of PnL / (wealth · 3/24), clipped, halved. */
export function pnlScore(pnlByBook: readonly number[], options = TAOS_KAPPA_SCORE): number {
  const scale = options.wealth * options.lookbackNs / NS_PER_DAY;
  const active = pnlByBook.filter((pnl) => pnl !== 0).map((pnl) => clamp(pnl / scale, -1, 1));
  const tolerated = Math.floor(options.inactiveTolerance * pnlByBook.length);
  const inactive = pnlByBook.length - active.length;
  const values = [...active, ...new Array(Math.max(inactive - tolerated, 0)).fill(0)];
  return values.length === 0 ? 0 : median(values) / 2;
}
