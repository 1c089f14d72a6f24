import { deepEqual, equal } from "node:assert/strict";
import { combinePools, normalizePool } from "@/engine/scoring/pools.ts";

const near = (a: number, b: number) => equal(Math.abs(a - b) < 1e-12, true, `${a} vs ${b}`);

Deno.test("pools: unused shares return to trading; participation scales a share", () => {
  deepEqual(normalizePool([-1, 1, 3]), [0, 2 / 6, 4 / 6]);
  const tradingOnly = combinePools({ trading: [0, 1, 3] }, 3);
  deepEqual(tradingOnly, [0, 0.25, 0.75]);
  const withForecast = combinePools({
    trading: [0, 1, 1],
    forecast: { scores: [0, 0, 1], participation: 0.5 },
  }, 3);
  // forecast share 0.1 · 0.5 = 0.05; trading 0.95 split evenly.
  near(withForecast[1], 0.475);
  near(withForecast[2], 0.475 + 0.05);
  const idleTraining = combinePools({
    trading: [0, 1],
    training: { scores: [0, 0], participation: 1 },
  }, 2);
  deepEqual(idleTraining, [0, 1]);
  const burned = combinePools({ trading: [0, 1] }, 2, { training: 0.05, forecast: 0.1, burn: 0.5 });
  deepEqual(burned, [0.5, 0.5]);
});
