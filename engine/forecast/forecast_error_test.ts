import { equal, throws } from "node:assert/strict";
import { forecastSkill, naiveForecast, weightedRmse } from "@/engine/forecast/forecast_error.ts";

const near = (a: number, b: number, tolerance = 1e-12) =>
  equal(Math.abs(a - b) < tolerance, true, `${a} vs ${b}`);

Deno.test("TSPS vector: a constant 0.05 error gives a weighted RMSE of 0.05", () => {
  const predicted = Array.from({ length: 100 }, (_, i) => i);
  near(weightedRmse(predicted, predicted.map((p) => p - 0.05)), 0.05, 1e-12);
});

Deno.test("early steps weigh slightly more", () => {
  const early = weightedRmse([1, 0, 0], [0, 0, 0]);
  const late = weightedRmse([0, 0, 1], [0, 0, 0]);
  equal(early > late, true);
  throws(() => weightedRmse([1], [1, 2]), /1 values for 2 actuals/);
  throws(() => weightedRmse([1], [1]), /at least 2 actual values/);
});

Deno.test("skill: naive earns 0, better than naive earns more, malformed earns 0", () => {
  const actual = [101, 102, 103, 104];
  equal(forecastSkill(naiveForecast(100, 4), actual, 100), 0);
  equal(forecastSkill(actual, actual, 100), 1);
  const halfway = forecastSkill([100.5, 101, 101.5, 102], actual, 100);
  near(halfway, 0.5);
  equal(forecastSkill([200, 200, 200, 200], actual, 100), 0);
  equal(forecastSkill([1, 2, 3], actual, 100), 0);
  equal(forecastSkill([1, NaN, 3, 4], actual, 100), 0);
  equal(forecastSkill(null, actual, 100), 0);
});
