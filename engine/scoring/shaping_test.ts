import { deepEqual, equal } from "node:assert/strict";
import { ema, paretoShape, softFloor, tradingScore } from "@/engine/scoring/shaping.ts";

const near = (a: number, b: number) => equal(Math.abs(a - b) < 1e-12, true, `${a} vs ${b}`);

Deno.test("trading score mixes Kappa and PnL 0.79 / 0.21 and clamps", () => {
  near(tradingScore(0.5, 0.5), 0.5);
  near(tradingScore(1, 0.5), 0.79 + 0.105);
  near(tradingScore(0, -0.5), 0);
});

Deno.test("soft floor fades scores below the median of positives", () => {
  // Positives [0.2, 0.4, 0.6, 0.8]: thr = 0.5, lo = 0.25.
  const floored = softFloor([0, 0.2, 0.4, 0.6, 0.8]);
  deepEqual(floored.map((x) => Number(x.toFixed(12))), [0, 0, 0.24, 0.6, 0.8]);
});

Deno.test("Pareto shaping keeps the ranking and is fixed by the seed", () => {
  const scores = [0.3, 0.9, 0.1, 0.5];
  const shaped = paretoShape(scores);
  deepEqual(paretoShape(scores), shaped);
  const rank = (values: number[]) => values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  deepEqual(rank(shaped), rank(scores));
});

Deno.test("EMA moves a small step towards the new scores", () => {
  const next = ema([1, 0], [0, 1], 0.1);
  near(next[0], 0.9);
  near(next[1], 0.1);
});
