/**
 * The Kappa ratio (Kaplan & Knowles 2004) and τaos's Kappa-3 per book
 * (shared/reference/taos.md §4.2, perf.md §4).
 *
 *   LPM_n(τ) = (1/N) Σ max(τ − R_i, 0)^n   — over ALL N observations
 *   K_n(τ)   = (mean(R) − τ) / LPM_n(τ)^(1/n)
 *
 * @module
 */
import {
  clamp,
  mean,
  median,
  medianAbsoluteDeviation,
  standardDeviation,
} from "@/engine/scoring/statistics.ts";

/** Kaplan–Knowles K_n(τ); the lower partial moment averages over all N. */
export function kappaRatio(returns: readonly number[], tau: number, order: number): number {
  const lpm = mean(returns.map((r) => Math.max(tau - r, 0) ** order));
  return (mean(returns) - tau) / lpm ** (1 / order);
}

/** τaos `utils/kappa.py` defaults (taos.md §4.2). */
export interface KappaOptions {
  /** Observations older than this before the latest are ignored, ns. */
  lookbackNs: number;
  /** Less history than this gives no score, ns. */
  minLookbackNs: number;
  tau: number;
  /** Non-zero observations a book needs for a K. */
  minRealizedObservations: number;
  /** K is normalised from this range to [0, 1]. */
  normalization: readonly [number, number];
  /** A gap this long marks a simulation changeover; the next observation is masked, ns. */
  changeoverGapNs: number;
}

export const TAOS_KAPPA: KappaOptions = {
  lookbackNs: 10_800e9,
  minLookbackNs: 5_400e9,
  tau: 0,
  minRealizedObservations: 3,
  normalization: [-2.5, 2.5],
  changeoverGapNs: 600e9,
};

/** One publish step's realised PnL per book (missing books had none). */
export interface PnlObservation {
  timestampNs: number;
  pnlByBook: ReadonlyMap<number, number>;
}

export interface KappaResult {
  /** K per book (null: too few non-zero observations). */
  perBook: Map<number, number | null>;
  /** Normalised K per book, in [0, 1] (null as above). */
  normalizedPerBook: Map<number, number | null>;
  average: number | null;
  median: number | null;
  /** K of the book-summed series × min(1, nonzero / minimum). */
  total: number | null;
}

/** Floor of the MAD scale, as τaos. */
const MAD_FLOOR = 1e-6;
/** Regulariser weight on |μ| + sd inside the cube root (τaos). */
const REGULARISER = 0.1;
/** LPM3 must exceed this to use the downside branch when μ > τ … */
const EPSILON_ABOVE_TAU = 1e-2;
/** … or this when μ ≤ τ (τaos). */
const EPSILON_AT_OR_BELOW_TAU = 1e-6;

/**
 * τaos Kappa-3 of one miner over its PnL history: null when the history
 * spans less than the minimum lookback.
 */
export function taosKappa3(
  history: readonly PnlObservation[],
  bookIds: readonly number[],
  options: KappaOptions = TAOS_KAPPA,
): KappaResult | null {
  if (history.length === 0) return null;
  const last = history[history.length - 1].timestampNs;
  const window = history.filter((observation) =>
    observation.timestampNs >= last - options.lookbackNs
  );
  if (last - window[0].timestampNs < options.minLookbackNs) return null;
  const kept = window.filter((observation, index) =>
    index === 0 || observation.timestampNs - window[index - 1].timestampNs < options.changeoverGapNs
  );

  const perBook = new Map<number, number | null>();
  const normalizedPerBook = new Map<number, number | null>();
  for (const bookId of bookIds) {
    const k = bookKappa3(kept.map((o) => o.pnlByBook.get(bookId) ?? 0), options);
    perBook.set(bookId, k);
    normalizedPerBook.set(bookId, k === null ? null : normalize(k, options));
  }
  const scored = [...perBook.values()].filter((k): k is number => k !== null);
  const summed = kept.map((o) => bookIds.reduce((sum, id) => sum + (o.pnlByBook.get(id) ?? 0), 0));
  const totalK = bookKappa3(summed, options);
  const nonzero = summed.filter((x) => x !== 0).length;
  return {
    perBook,
    normalizedPerBook,
    average: scored.length ? mean(scored) : null,
    median: scored.length ? median(scored) : null,
    total: totalK === null ? null : totalK * Math.min(1, nonzero / options.minRealizedObservations),
  };
}

/** τaos's K for one book's series (steps 4–5 of §4.2). */
export function bookKappa3(
  series: readonly number[],
  options: KappaOptions = TAOS_KAPPA,
): number | null {
  const scale = Math.max(medianAbsoluteDeviation(series), MAD_FLOOR);
  const r = series.map((x) => x / scale);
  if (r.filter((x) => x !== 0).length < options.minRealizedObservations) return null;
  const { tau } = options;
  const mu = mean(r);
  const lpm3 = mean(r.map((x) => Math.max(tau - x, 0) ** 3));
  const upm3 = mean(r.map((x) => Math.max(x - tau, 0) ** 3));
  const reg = (REGULARISER * (Math.abs(mu) + standardDeviation(r))) ** 3;
  const epsilon = mu > tau ? EPSILON_ABOVE_TAU : EPSILON_AT_OR_BELOW_TAU;
  if (lpm3 > epsilon) return (mu - tau) / Math.cbrt(lpm3 + reg);
  if (mu > tau) return (mu - tau) / Math.cbrt(upm3 + reg);
  return 0;
}

function normalize(k: number, options: KappaOptions): number {
  const [low, high] = options.normalization;
  return clamp((k - low) / (high - low), 0, 1);
}
