/**
 * A small learned forecaster: ridge regression (closed form, features
 * standardised) fitted afresh on each request's history. It predicts the
 * mean log return per step over the horizon from the last `lags` one-step
 * log returns, RSI(14), the MACD histogram and the Bollinger %b
 * (engine/forecast/return_samples.ts), and draws the path c·e^{k·r̂}. The
 * penalty shrinks r̂ towards 0, i.e. towards the naive forecast, so with
 * little signal it falls back to naive rather than inventing a trend.
 *
 * It learns only from the candles the request carries, and does not trade;
 * forecast_mlp.ts is the neural counterpart.
 *
 * Parameters: `lags` (default 5), `lambda` (penalty, default 10).
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { naiveForecast } from "@/engine/forecast/forecast_error.ts";
import { driftPath, returnSamples } from "@/engine/forecast/return_samples.ts";

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
  const set = returnSamples(closes, horizon, lags);
  if (set === null) return naiveForecast(last, horizon);
  const weights = ridgeFit(set.rows, set.targets, lambda);
  const predicted = set.current.reduce((sum, value, j) => sum + value * weights[j], 0);
  return driftPath(last, horizon, set.scale * predicted);
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
