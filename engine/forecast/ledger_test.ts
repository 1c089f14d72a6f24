import { equal } from "node:assert/strict";
import { percentileRank, updateLedger, windowDifficulty } from "@/engine/forecast/ledger.ts";

const near = (a: number, b: number, tolerance = 5e-10) =>
  equal(Math.abs(a - b) < tolerance, true, `${a} vs ${b}`);

/** Tables shaped like TSPS's (p1 … p100, increasing). */
const tables = {
  range: Array.from({ length: 100 }, (_, i) => 1.00388 + i * 0.0005),
  std: Array.from({ length: 100 }, (_, i) => 14.56 + i * 9.3),
};

Deno.test("TSPS vector: empty ledger, shares 0.1–0.4, actuals 10–40", () => {
  // max/min = 4 exceeds every range entry → P_range 1; std 11.18 < p1 14.56 → P_std 0.01; g = 0.1.
  const g = windowDifficulty([10, 20, 30, 40], tables);
  near(g, 0.1, 1e-12);
  const ledger = updateLedger(
    new Map(),
    new Map([["a", 0.1], ["b", 0.2], ["c", 0.3], ["d", 0.4]]),
    g,
  );
  near(ledger.get("a")!, 0.000371058);
  near(ledger.get("b")!, 0.000742115);
  near(ledger.get("c")!, 0.001113173);
  near(ledger.get("d")!, 0.001484230);
});

Deno.test("absent miners decay; newcomers start at the average", () => {
  const ledger = new Map([["old", 0.5], ["other", 0.1]]);
  const next = updateLedger(ledger, new Map([["other", 0.5], ["new", 0.5]]), 0.5);
  equal(next.get("old")! < 0.5, true);
  const alpha = 2 / 49;
  near(next.get("new")!, alpha * ((0.3 + 0.25) / 1.5) + (1 - alpha) * 0.3, 1e-12);
  equal(percentileRank([1, 2, 3], 5), 1);
  equal(percentileRank([1, 2, 3], 1.5), 0.02);
});
