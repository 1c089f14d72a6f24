import { deepEqual, equal, ok } from "node:assert/strict";
import {
  COPY_TOLERANCE,
  copyDistance,
  copyGroups,
  splitAmongCopies,
  stepVolatility,
} from "@/engine/forecast/copy_detection.ts";
import { forecastSkill } from "@/engine/forecast/forecast_error.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const HORIZON = 100;
const STEP_STD = 0.3;

/** A seeded random walk with drift: 60 closes of history, then 100 realised ones. */
function market(seed: number) {
  const random = new SeededRandom(seed);
  const closes = [300];
  for (let i = 1; i < 160; i++) closes.push(closes[i - 1] + 0.05 + STEP_STD * random.normal());
  const history = closes.slice(0, 60);
  const lastClose = history.at(-1)!;
  return {
    lastClose,
    actual: closes.slice(60),
    scale: { lastClose, stepVolatility: stepVolatility(history) },
  };
}

const path = (lastClose: number, move: (step: number) => number) =>
  Array.from({ length: HORIZON }, (_, i) => lastClose + move(i + 1));

Deno.test("step volatility is the population std of one-candle changes", () => {
  equal(stepVolatility([1, 2, 3, 4]), 0);
  equal(stepVolatility([0, 1, 3, 4]), Math.sqrt(2 / 9));
  equal(stepVolatility([5, 6]), 0);
  const { scale } = market(1);
  ok(Math.abs(scale.stepVolatility - STEP_STD) < 0.1, `${scale.stepVolatility}`);
});

Deno.test("a copy scaled by 1.001 or given small seeded noise is caught; different forecasts are not", () => {
  const { lastClose, scale } = market(2);
  const random = new SeededRandom(99);
  const trend = path(lastClose, (k) => 0.05 * k);
  const forecasts = new Map([
    ["trend", trend],
    ["scaled", trend.map((value) => lastClose + 1.001 * (value - lastClose))],
    // Noise of 10% of a candle's std on every close.
    ["noisy", trend.map((value) => value + 0.1 * STEP_STD * random.normal())],
    // A damped trend: a different model, 20% below the trend's move at every step.
    ["damped", path(lastClose, (k) => 0.04 * k)],
    ["reverting", path(lastClose, (k) => -0.3 * (1 - 0.95 ** k))],
    ["naive", path(lastClose, () => 0)],
    // Naive plus noise far below the series' own: caught by the volatility floor
    // although it is large next to naive's zero move.
    ["naive-noisy", path(lastClose, () => 0.01 * STEP_STD * random.normal())],
  ]);
  ok(copyDistance(trend, forecasts.get("scaled")!, scale) < 0.0011);
  ok(copyDistance(trend, forecasts.get("noisy")!, scale) < COPY_TOLERANCE);
  ok(copyDistance(trend, forecasts.get("damped")!, scale) > 0.19);
  deepEqual(copyGroups(forecasts, scale), [
    ["trend", "scaled", "noisy"],
    ["damped"],
    ["reverting"],
    ["naive", "naive-noisy"],
  ]);
  // The old rule (distance under 1e-4 of the move) missed both perturbed copies.
  ok(copyDistance(trend, forecasts.get("scaled")!, scale) > 1e-4);
});

Deno.test("copy groups do not depend on arrival order and chain through near copies", () => {
  const { lastClose, scale } = market(3);
  const a = path(lastClose, (k) => 0.05 * k);
  const b = a.map((value) => lastClose + 1.03 * (value - lastClose));
  const c = a.map((value) => lastClose + 1.06 * (value - lastClose));
  const other = path(lastClose, (k) => -0.05 * k);
  // c is 6% from a, but 3% from b, which is 3% from a: one group.
  const forward = copyGroups(new Map([["a", a], ["other", other], ["c", c], ["b", b]]), scale);
  deepEqual(forward, [["a", "c", "b"], ["other"]]);
  const backward = copyGroups(new Map([["b", b], ["c", c], ["other", other], ["a", a]]), scale);
  deepEqual(backward, [["b", "c", "a"], ["other"]]);
});

Deno.test("identical forecasts are copies even on a flat, noiseless series; lengths must match", () => {
  const scale = { lastClose: 100, stepVolatility: 0 };
  equal(copyDistance([100, 100], [100, 100], scale), 0);
  // Naive against a forecast that moves: the whole difference is the move, d = 1.
  equal(copyDistance([100, 100], [100, 100.01], scale), 1);
  equal(copyDistance([100, 101], [100, 101, 102], scale), Infinity);
  deepEqual(copyGroups(new Map([["a", [100, 100]], ["b", [100, 100]]]), scale), [["a", "b"]]);
});

Deno.test("a copying miner gains nothing: the group shares its lowest skill", () => {
  const { lastClose, actual, scale } = market(4);
  const random = new SeededRandom(5);
  const honest = path(lastClose, (k) => 0.05 * k);
  const forecasts = new Map([
    ["honest", honest],
    ["scaled", honest.map((value) => lastClose + 1.001 * (value - lastClose))],
    ["noisy", honest.map((value) => value + 0.1 * STEP_STD * random.normal())],
    ["other", path(lastClose, (k) => 0.02 * k)],
  ]);
  const skills = new Map(
    [...forecasts].map((
      [hotkey, forecast],
    ) => [hotkey, forecastSkill(forecast, actual, lastClose)]),
  );
  ok(skills.get("honest")! > 0.1, `the honest forecast beats naive: ${skills.get("honest")}`);
  const groups = copyGroups(forecasts, scale);
  deepEqual(groups, [["honest", "scaled", "noisy"], ["other"]]);
  const shares = splitAmongCopies(skills, groups);
  const group = ["honest", "scaled", "noisy"];
  const lowest = Math.min(...group.map((hotkey) => skills.get(hotkey)!));
  for (const hotkey of group) {
    equal(shares.get(hotkey), lowest / 3);
    ok(shares.get(hotkey)! < skills.get(hotkey)!);
  }
  const total = group.reduce((sum, hotkey) => sum + shares.get(hotkey)!, 0);
  ok(
    total <= skills.get("honest")! + 1e-12,
    "three hotkeys earn no more than the honest one alone",
  );
  equal(shares.get("other"), skills.get("other"));
});
