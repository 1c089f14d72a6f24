import { deepEqual, equal } from "node:assert/strict";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import naiveForecaster from "@/engine/agents/forecast_naive.ts";
import ridgeForecaster, { ridgeFit } from "@/engine/agents/forecast_ridge.ts";
import smoothingForecaster, { dampedTrendForecast } from "@/engine/agents/forecast_smoothing.ts";
import type { Candle } from "@/engine/forecast/candles.ts";
import { checkForecast, FORECAST_ONLY_CONFIG } from "@/engine/forecast/forecast_request.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const context = { uid: 1, params: {}, seed: 1, config: FORECAST_ONLY_CONFIG };
const candlesOf = (closes: number[]): Candle[] =>
  closes.map((close, i) => ({
    closeTime: (i + 1) * 300_000,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
  }));

async function forecast(factory: AgentFactory, closes: number[], horizon = 10) {
  const agent = factory(context);
  return checkForecast(
    await agent.forecast!({
      stream: "s",
      intervalMs: 300_000,
      horizon,
      history: candlesOf(closes),
    }),
    horizon,
  );
}

Deno.test("naive repeats the last close", async () => {
  deepEqual(await forecast(naiveForecaster, [1, 2, 3], 3), [3, 3, 3]);
});

Deno.test("damped trend: a straight line continues, flattening as the trend fades", async () => {
  const line = Array.from({ length: 200 }, (_, i) => 100 + i);
  const path = dampedTrendForecast(line, 5, { alpha: 0.5, beta: 0.5, phi: 1 });
  path.forEach((value, h) => equal(Math.abs(value - (299 + h + 1)) < 1e-6, true, `${value}`));
  const damped = await forecast(smoothingForecaster, line, 100);
  equal(damped[0] > 299 && damped[99] < 299 + 100 && damped[99] > damped[0], true);
  deepEqual(dampedTrendForecast([5, 5, 5], 2), [5, 5]);
});

Deno.test("ridge: exact on a noiseless linear model; learns a drift, shrinks to naive without one", async () => {
  const rows = [[1, 0], [0, 1], [1, 1], [2, 1]];
  const weights = ridgeFit(rows, rows.map(([a, b]) => 2 * a - b), 0);
  equal(Math.abs(weights[0] - 2) < 1e-9 && Math.abs(weights[1] + 1) < 1e-9, true);
  const random = new SeededRandom(3);
  let price = 1000;
  const drifting = Array.from(
    { length: 600 },
    () => (price *= Math.exp(0.001 + 0.0005 * random.normal())),
  );
  const up = await forecast(ridgeForecaster, drifting, 100);
  equal(up[99] > drifting.at(-1)! * 1.05, true, "about +10% over 100 steps");
  equal(up[99] < drifting.at(-1)! * 1.15, true);
  deepEqual(await forecast(ridgeForecaster, [10, 11, 12], 3), [12, 12, 12], "too short: naive");
});
