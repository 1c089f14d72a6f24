import { deepEqual, equal, throws } from "node:assert/strict";
import { normalizeLosses, pythonRound, tspsShares } from "@/engine/forecast/loss_normalization.ts";

const losses = (...values: number[]) => new Map(values.map((loss, i) => [`m${i}`, loss]));
const shares = (map: Map<string, number>) => [...map.values()];

Deno.test("TSPS normalisation: variance 0 splits equally, unrounded (tsps.md §3.2)", () => {
  deepEqual(shares(normalizeLosses(losses(3, 3, 3, 3))), [0.25, 0.25, 0.25, 0.25]);
  deepEqual(shares(normalizeLosses(losses(7, 7, 7))), [1 / 3, 1 / 3, 1 / 3]);
  // One responder has variance 0 and takes 1.0 (TSPS's <2-scores guard is unreachable).
  deepEqual(shares(normalizeLosses(losses(42))), [1]);
  equal(normalizeLosses(new Map()).size, 0);
});

Deno.test("TSPS normalisation: min–max scaled, best 1 and worst 0, summed to 1, 4 decimals", () => {
  // s = [1, ½, 0], Σ 1.5 → [⅔, ⅓, 0].
  deepEqual(shares(normalizeLosses(losses(1, 2, 3))), [0.6667, 0.3333, 0]);
  // s = [1, ⅔, ⅓, 0], Σ 2 → [0.5, ⅓, ⅙, 0]; order of the input does not matter.
  deepEqual(
    [...normalizeLosses(new Map([["d", 40], ["b", 20], ["a", 10], ["c", 30]]))],
    [["d", 0], ["b", 0.3333], ["a", 0.5], ["c", 0.1667]],
  );
  // Shifting or scaling every loss changes nothing: only ranks within the range count.
  deepEqual(
    shares(normalizeLosses(losses(1000, 1001, 1003))),
    shares(normalizeLosses(losses(0, 10, 30))),
  );
  // s = [1, 0.9, 0]: the worst responder gets 0 however close it was.
  deepEqual(shares(normalizeLosses(losses(5, 5.1, 6))), [0.5263, 0.4737, 0]);
  // Two best, two worst: [½, ½, 0, 0].
  deepEqual(shares(normalizeLosses(losses(1, 1, 9, 9))), [0.5, 0.5, 0, 0]);
});

Deno.test("TSPS normalisation rounds like Python's round(x, 4): exact value, ties to even", () => {
  // 32 miners: best (s 1), worst (s 0) and 30 in the middle (s ½); Σ 16, so the
  // middle shares are exactly 1/32 = 0.03125, a tie Python rounds down to 0.0312.
  const field = losses(0, 2, ...new Array(30).fill(1));
  const result = shares(normalizeLosses(field));
  equal(result[0], 0.0625);
  equal(result[1], 0);
  deepEqual(new Set(result.slice(2)), new Set([0.0312]));
  // Python: round(0.09375, 4) = 0.0938, round(0.15625, 4) = 0.1562, round(2.675, 2) = 2.67
  // (2.675 is 2.67499999… in binary), round(2.5) = 2, round(0.5) = 0, round(0.00015, 4) = 0.0001.
  equal(pythonRound(0.03125), 0.0312);
  equal(pythonRound(0.09375), 0.0938);
  equal(pythonRound(0.15625), 0.1562);
  equal(pythonRound(2.675, 2), 2.67);
  equal(pythonRound(2.5, 0), 2);
  equal(pythonRound(0.5, 0), 0);
  equal(pythonRound(0.00015), 0.0001);
  equal(pythonRound(1 / 3), 0.3333);
});

Deno.test("TSPS normalisation refuses a non-finite loss, naming the miner", () => {
  throws(() => normalizeLosses(new Map([["a", 1], ["b", NaN]])), {
    name: "RangeError",
    message: "Cannot normalise losses: b's loss is NaN",
  });
});

Deno.test("tspsShares: weighted RMSE per forecast (tsps.md §3.1), then normalised", () => {
  const actual = Array.from({ length: 100 }, (_, i) => i);
  // TSPS's RMSE vector: predictions = actual + 0.05 → loss 0.05.
  const forecasts = new Map([
    ["close", actual.map((a) => a + 0.05)],
    ["far", actual.map((a) => a + 0.25)],
    ["middle", actual.map((a) => a - 0.15)],
  ]);
  // Losses 0.05, 0.25, 0.15 → s = [1, 0, ½] → [⅔, 0, ⅓].
  deepEqual([...tspsShares(forecasts, actual)], [["close", 0.6667], ["far", 0], [
    "middle",
    0.3333,
  ]]);
  // Identical naive forecasts tie and share everything: the flaw §3.6 notes.
  const flat = new Array(100).fill(0);
  deepEqual(shares(tspsShares(new Map([["n1", flat], ["n2", flat]]), actual)), [0.5, 0.5]);
});
