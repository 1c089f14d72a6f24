/**
 * The supervised set a learned forecaster fits on one request's history:
 * per close, the last `lags` one-step log returns, RSI(14), the MACD
 * histogram and the Bollinger %b (indicators.ts), standardised, with a bias
 * term; the target is the mean log return per step over the next `horizon`
 * closes, scaled to unit RMS so penalties mean the same at any volatility.
 * Shared by the ridge and MLP forecast agents.
 *
 * @module
 */
import { bollinger, macd, rsi } from "@/engine/forecast/indicators.ts";

/** Candles needed before the first feature row: the slowest indicator (MACD 26 + 9). */
const WARMUP = 35;

export interface ReturnSamples {
  /** Standardised feature rows, each ending in a bias 1. */
  rows: number[][];
  /** Targets divided by `scale`. */
  targets: number[];
  /** The last close's standardised row: what to predict from. */
  current: number[];
  /** Multiply a predicted target by this for the mean log return per step. */
  scale: number;
}

/** Feature rows, one per close (NaN where history is too short). */
function features(closes: readonly number[], lags: number): number[][] {
  const rsiValues = rsi(closes, 14);
  const { histogram } = macd(closes);
  const bands = bollinger(closes, 20, 2);
  return closes.map((close, t) => {
    const row: number[] = [];
    for (let lag = 0; lag < lags; lag++) {
      row.push(t - lag >= 1 ? Math.log(closes[t - lag] / closes[t - lag - 1]) : NaN);
    }
    const width = bands.upper[t] - bands.lower[t];
    row.push(
      rsiValues[t] / 100 - 0.5,
      histogram[t] / close,
      width > 0 ? (close - bands.lower[t]) / width - 0.5 : 0,
    );
    return row;
  });
}

/**
 * The samples of `closes` for a `horizon`-step target, or null when the
 * history is too short for twice as many samples as features.
 */
export function returnSamples(
  closes: readonly number[],
  horizon: number,
  lags: number,
): ReturnSamples | null {
  const all = features(closes, lags);
  const samples: number[][] = [];
  const targets: number[] = [];
  for (let t = WARMUP; t + horizon < closes.length; t++) {
    if (all[t].some((value) => !Number.isFinite(value))) continue;
    samples.push(all[t]);
    targets.push(Math.log(closes[t + horizon] / closes[t]) / horizon);
  }
  const current = all[closes.length - 1];
  if (samples.length < 2 * current.length || current.some((v) => !Number.isFinite(v))) {
    return null;
  }
  const d = current.length;
  const mean = Array.from(
    { length: d },
    (_, j) => samples.reduce((s, r) => s + r[j], 0) / samples.length,
  );
  const std = Array.from(
    { length: d },
    (_, j) =>
      Math.sqrt(samples.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / samples.length) || 1,
  );
  const scale = Math.sqrt(targets.reduce((s, y) => s + y * y, 0) / targets.length) || 1;
  const standard = (row: readonly number[]) => [...row.map((v, j) => (v - mean[j]) / std[j]), 1];
  return {
    rows: samples.map(standard),
    targets: targets.map((y) => y / scale),
    current: standard(current),
    scale,
  };
}

/** The path c·e^{k·r} for k = 1…horizon: a constant log drift `perStep` from `last`. */
export function driftPath(last: number, horizon: number, perStep: number): number[] {
  return Array.from({ length: horizon }, (_, k) => last * Math.exp((k + 1) * perStep));
}
