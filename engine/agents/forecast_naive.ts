/**
 * The naive forecast agent: the last close, repeated (a random walk's
 * optimal forecast under squared error; tsps.md §7). Its skill is 0 by
 * construction — the baseline every other forecaster must beat to earn.
 * It does not trade.
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { naiveForecast } from "@/engine/forecast/forecast_error.ts";

const naiveForecaster: AgentFactory = () => ({
  respond() {},
  forecast({ history, horizon }) {
    return naiveForecast(history[history.length - 1].close, horizon);
  },
});

export default naiveForecaster;
