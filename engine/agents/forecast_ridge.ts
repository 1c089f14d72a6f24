/**
 * A small learned forecaster: ridge regression (closed form, features
 * standardised) fitted afresh on each request's history. It predicts the
 * mean log return per step over the horizon from the last `lags` one-step
 * log returns, RSI(14), the MACD histogram and the Bollinger %b
 * (engine/forecast/indicators.ts), and draws the path c·e^{k·r̂}. The
 * penalty shrinks r̂ towards 0, i.e. towards the naive forecast, so with
 * little signal it falls back to naive rather than inventing a trend.
 *
 * What it is not: a neural network, GenTRX-trained or run through
 * onnxruntime-web. It learns only from the candles the request carries.
 * It does not trade.
 *
 * Parameters: `lags` (default 5), `lambda` (penalty, default 10).
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { naiveForecast } from "@/engine/forecast/forecast_error.ts";
import { bollinger, macd, rsi } from "@/engine/forecast/indicators.ts";

/** Candles needed before the first feature row: the slowest indicator (MACD 26 + 9). */
const WARMUP = 35;

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

/** Solves (XᵀX + λI) w = Xᵀy by Gaussian elimination with partial pivoting. */
export function ridgeFit(rows: readonly number[][], targets: readonly number[], lambda: number) {
  const d = rows[0].length;
  const a = Array.from({ length: d }, (_, i) => {
    const line = new Array<number>(d + 1).fill(0);
    line[i] = lambda;
    return line;
  });
  rows.forEach((row, n) => {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) a[i][j] += row[i] * row[j];
      a[i][d] += row[i] * targets[n];
    }
  });
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < d; r++) {
      if (r === col || a[col][col] === 0) continue;
      const factor = a[r][col] / a[col][col];
      for (let c = col; c <= d; c++) a[r][c] -= factor * a[col][c];
    }
  }
  return a.map((line, i) => (line[i] === 0 ? 0 : line[d] / line[i]));
}

/** The ridge forecast of the next `horizon` closes. */
export function ridgeForecast(
  closes: readonly number[],
  horizon: number,
  { lags = 5, lambda = 10 } = {},
): number[] {
  const last = closes[closes.length - 1];
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
    return naiveForecast(last, horizon);
  }
  // Standardise features; scale targets so λ means the same whatever the volatility.
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
  const weights = ridgeFit(samples.map(standard), targets.map((y) => y / scale), lambda);
  const x = standard(current);
  const perStep = scale * x.reduce((sum, value, j) => sum + value * weights[j], 0);
  return Array.from({ length: horizon }, (_, k) => last * Math.exp((k + 1) * perStep));
}

const ridgeForecaster: AgentFactory = ({ params }) => {
  const settings = { lags: Number(params.lags ?? 5), lambda: Number(params.lambda ?? 10) };
  return {
    respond() {},
    forecast({ history, horizon }) {
      return ridgeForecast(history.map((candle) => candle.close), horizon, settings);
    },
  };
};

export default ridgeForecaster;
