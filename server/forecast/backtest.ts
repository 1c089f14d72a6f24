/**
 * Backtests a forecast agent on historical candles — TSPS's
 * `--test_only_historical` and `runnable/miner_testing.py` (tsps.md §4.1,
 * §5) as one command: windows slide over the history; at each origin the
 * agent gets the last `lookback` candles and forecasts the next `horizon`
 * closes, which are scored as the live pool scores them (weighted RMSE,
 * skill against naive, malformed = 0; engine/forecast/forecast_error.ts).
 *
 * @module
 */
import type { AgentFactory } from "@/engine/agent/agent.ts";
import type { Candle } from "@/engine/forecast/candles.ts";
import { forecastSkill, naiveForecast, weightedRmse } from "@/engine/forecast/forecast_error.ts";
import {
  checkForecast,
  FORECAST_HORIZON,
  FORECAST_ONLY_CONFIG,
} from "@/engine/forecast/forecast_request.ts";

export interface BacktestOptions {
  candles: readonly Candle[];
  agent: AgentFactory;
  stream?: string;
  params?: Record<string, string>;
  seed?: number;
  /** Closes forecast per window; default 100 (TSPS). */
  horizon?: number;
  /** Candles of history per request; default 500. */
  lookback?: number;
  /** Candles between origins; default the horizon (non-overlapping windows). */
  stride?: number;
}

export interface BacktestResult {
  windows: number;
  horizon: number;
  /** Mean skill against naive in [0, 1] (what the pool pays). */
  meanSkill: number;
  /** Mean weighted RMSE of the agent and of naive, in price units. */
  meanRmse: number;
  meanNaiveRmse: number;
  /** meanRmse / meanNaiveRmse: below 1 beats naive (a MASE-style ratio, tsps.md §7). */
  relativeRmse: number;
  /** Windows where the agent's error was below naive's. */
  beatNaive: number;
  /** Windows whose forecast was missing or malformed (scored as the worst). */
  malformed: number;
  /** Each window's skill against naive, oldest origin first. */
  windowSkills: number[];
}

export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const horizon = options.horizon ?? FORECAST_HORIZON;
  const lookback = options.lookback ?? 500;
  const stride = options.stride ?? horizon;
  const { candles } = options;
  if (candles.length < lookback + horizon) {
    throw new RangeError(
      `Cannot backtest: ${candles.length} candles, at least lookback + horizon = ${
        lookback + horizon
      } needed`,
    );
  }
  const agent = options.agent({
    uid: 0,
    params: options.params ?? {},
    seed: options.seed ?? 1,
    config: FORECAST_ONLY_CONFIG,
  });
  if (agent.forecast === undefined) {
    throw new TypeError("Cannot backtest: the agent has no forecast hook");
  }
  agent.start?.({
    uid: 0,
    params: options.params ?? {},
    seed: options.seed ?? 1,
    config: FORECAST_ONLY_CONFIG,
  });
  const intervalMs = candles[1].closeTime - candles[0].closeTime;
  const windowSkills: number[] = [];
  let windows = 0, skill = 0, rmse = 0, naiveRmse = 0, beatNaive = 0, malformed = 0;
  for (let origin = lookback; origin + horizon <= candles.length; origin += stride) {
    const history = candles.slice(origin - lookback, origin);
    const actual = candles.slice(origin, origin + horizon).map((c) => c.close);
    const lastClose = history[history.length - 1].close;
    let predicted: number[] | null = null;
    try {
      predicted = checkForecast(
        await agent.forecast({
          stream: options.stream ?? "backtest",
          intervalMs,
          horizon,
          history,
        }),
        horizon,
      );
    } catch {
      malformed++;
    }
    const naive = weightedRmse(naiveForecast(lastClose, horizon), actual);
    const error = predicted === null ? Infinity : weightedRmse(predicted, actual);
    windows++;
    windowSkills.push(forecastSkill(predicted, actual, lastClose));
    skill += windowSkills.at(-1)!;
    naiveRmse += naive;
    rmse += error;
    if (error < naive) beatNaive++;
  }
  return {
    windows,
    horizon,
    meanSkill: skill / windows,
    meanRmse: rmse / windows,
    meanNaiveRmse: naiveRmse / windows,
    relativeRmse: rmse / naiveRmse,
    beatNaive,
    malformed,
    windowSkills,
  };
}
