import { deepEqual, equal } from "node:assert/strict";
import {
  autocorrelation,
  hillTailIndex,
  horizonReturns,
  logLogSlope,
  logReturns,
  moments,
  withinGroupCorrelation,
} from "@/engine/sim/return_statistics.ts";

const close = (actual: number | null, expected: number, tolerance = 1e-12) =>
  equal(
    actual !== null && Math.abs(actual - expected) <= tolerance,
    true,
    `${actual} vs ${expected}`,
  );

Deno.test("returns break at a missing mid and never span it", () => {
  const segments = logReturns([100, 101, NaN, 50, 55, 60.5, 0, 7], 1);
  equal(segments.length, 2);
  deepEqual(Array.from(segments[0]), [Math.log(1.01)]);
  close(segments[1][0], Math.log(1.1));
  close(segments[1][1], Math.log(1.1));
});

Deno.test("returns at a horizon are non-overlapping blocks from each run's start", () => {
  const prices = [1, 2, 4, 8, 16, 32, 64];
  const { returns, volumes } = horizonReturns(prices, 3, [9, 1, 2, 3, 4, 5, 6]);
  equal(returns.length, 1);
  deepEqual(Array.from(returns[0]), [Math.log(8), Math.log(8)]);
  // Return 0 spans samples 0→3 and carries the volumes of intervals 1..3.
  deepEqual(Array.from(volumes[0]), [1 + 2 + 3, 4 + 5 + 6]);
});

Deno.test("moments match the population formulas", () => {
  const { count, mean, standardDeviation, skewness, excessKurtosis } = moments([[1, 2], [3, 4]]);
  equal(count, 4);
  close(mean, 2.5);
  close(standardDeviation, Math.sqrt(1.25));
  close(skewness, 0);
  // m4 = (2 · 1.5⁴ + 2 · 0.5⁴) / 4 = 2.5625; m2² = 1.5625.
  close(excessKurtosis, 2.5625 / 1.5625 - 3);
  equal(moments([[5, 5, 5]]).excessKurtosis, null);
});

Deno.test("pooled autocorrelation pairs values within a segment only", () => {
  // Pooled: mean 0, Σx² = 4, lag-1 products (1)(−1) twice = −2. Joined, a third
  // product (−1)(1) would cross the boundary and give −3/4.
  const acf = autocorrelation([[1, -1], [1, -1]], 2);
  deepEqual(Array.from(acf), [1, -0.5, 0]);
  close(autocorrelation([[1, -1, 1, -1]], 1)[1], -0.75);
});

Deno.test("a power-law autocorrelation has its exponent as log-log slope", () => {
  const acf = Array.from({ length: 51 }, (_, lag) => lag === 0 ? 1 : 0.3 * lag ** -0.4);
  close(logLogSlope(acf, 1, 50), -0.4, 1e-12);
  equal(logLogSlope([1, 0.5, -0.1, 0.2], 1, 3), null);
});

Deno.test("Hill's estimator recovers the index of exact Pareto quantiles", () => {
  // x_i = (i / n)^(−1/α) are the Pareto(α) quantiles at i/n.
  const n = 100_000;
  const pareto = Float64Array.from({ length: n }, (_, i) => ((i + 1) / n) ** (-1 / 3));
  close(hillTailIndex([pareto], 0.02), 3, 0.05);
  equal(hillTailIndex([[1, 2, 3]], 0.05), null);
});

Deno.test("within-book correlation ignores level differences between books", () => {
  // Inside each book y falls as x rises; across books both levels rise together.
  const groups = [
    { x: [[1, 2, 3]], y: [[3, 2, 1]] },
    { x: [[101, 102, 103]], y: [[103, 102, 101]] },
  ];
  close(withinGroupCorrelation(groups).correlation, -1);
  equal(withinGroupCorrelation(groups).pairs, 6);
});
