/**
 * Holt's linear-trend exponential smoothing with a damped trend (Gardner &
 * McKenzie 1985): a level ℓ and a trend b updated on each close,
 *   ℓ_t = α y_t + (1 − α)(ℓ_{t−1} + φ b_{t−1}),
 *   b_t = β (ℓ_t − ℓ_{t−1}) + (1 − β) φ b_{t−1},
 * forecasting ℓ + (φ + φ² + … + φ^h) b for step h. Damping makes the trend
 * fade over the 100-step horizon, so a spurious slope costs less than a
 * straight line would. It does not trade.
 *
 * Parameters: `alpha` (default 0.3), `beta` (0.05), `phi` (0.98),
 * `window` (closes it smooths, default 300).
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";

/** The damped-trend path from the last level and trend. */
export function dampedTrendForecast(
  closes: readonly number[],
  horizon: number,
  { alpha = 0.3, beta = 0.05, phi = 0.98 } = {},
): number[] {
  let level = closes[0];
  let trend = closes.length > 1 ? closes[1] - closes[0] : 0;
  for (let i = 1; i < closes.length; i++) {
    const previous = level;
    level = alpha * closes[i] + (1 - alpha) * (previous + phi * trend);
    trend = beta * (level - previous) + (1 - beta) * phi * trend;
  }
  const path: number[] = [];
  let damping = 0;
  for (let h = 1; h <= horizon; h++) {
    damping += phi ** h;
    path.push(level + damping * trend);
  }
  return path;
}

const smoothingForecaster: AgentFactory = ({ params }) => {
  const settings = {
    alpha: Number(params.alpha ?? 0.3),
    beta: Number(params.beta ?? 0.05),
    phi: Number(params.phi ?? 0.98),
  };
  const window = Number(params.window ?? 300);
  return {
    respond() {},
    forecast({ history, horizon }) {
      const closes = history.slice(-window).map((candle) => candle.close);
      return dampedTrendForecast(closes, horizon, settings);
    },
  };
};

export default smoothingForecaster;
