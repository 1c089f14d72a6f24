import { deepEqual, equal, ok } from "node:assert/strict";
import mlpForecaster, { SwiGluRegressor } from "@/engine/agents/forecast_mlp.ts";
import { checkForecast, FORECAST_ONLY_CONFIG } from "@/engine/forecast/forecast_request.ts";
import { TAOS_ADAMW_OPTIONS } from "@/engine/gentrx/trainer.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const ADAMW = { ...TAOS_ADAMW_OPTIONS, lr: 0.01, weightDecay: 0 };

Deno.test("the SwiGLU regressor learns a non-linear target a line cannot fit", () => {
  const random = new SeededRandom(5);
  const rows = Array.from({ length: 200 }, () => [2 * random.uniform() - 1, 1]);
  const targets = rows.map(([x]) => x * x - 0.33);
  const model = new SwiGluRegressor(2, 16, 1);
  const first = model.fit(rows, targets, 1, ADAMW);
  const last = model.fit(rows, targets, 1500, ADAMW);
  ok(last < first / 10, `loss ${first} → ${last}`);
  // The best straight line through x² on [−1, 1] is flat: its MSE is the variance, ~0.089.
  ok(last < 0.02, `beats any line: ${last}`);
});

function drifting(seed: number, drift: number) {
  const random = new SeededRandom(seed);
  let price = 1000;
  return Array.from(
    { length: 600 },
    (_, i) => ({
      closeTime: (i + 1) * 300_000,
      open: price,
      high: price,
      low: price,
      close: price *= Math.exp(drift + 0.0005 * random.normal()),
      volume: 1,
    }),
  );
}

async function forecast(history: ReturnType<typeof drifting>, seed = 1, horizon = 100) {
  const agent = mlpForecaster({ uid: 1, params: {}, seed, config: FORECAST_ONLY_CONFIG });
  return checkForecast(
    await agent.forecast!({ stream: "s", intervalMs: 300_000, horizon, history }),
    horizon,
  );
}

Deno.test("the MLP forecaster learns a drift, is seeded, and falls back to naive on short history", async () => {
  const history = drifting(3, 0.001);
  const last = history.at(-1)!.close;
  const up = await forecast(history);
  ok(up[99] > last * 1.03 && up[99] < last * 1.2, `about +10% over 100 steps: ${up[99] / last}`);
  deepEqual(await forecast(history), up, "same seed, same forecast");
  const down = await forecast(drifting(4, -0.001));
  ok(down[99] < drifting(4, -0.001).at(-1)!.close, "a falling series is forecast to fall");
  equal((await forecast(history.slice(0, 20), 1, 3)).every((v) => v === history[19].close), true);
});
