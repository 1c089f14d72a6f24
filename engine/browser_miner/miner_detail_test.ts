import { deepEqual, equal, throws } from "node:assert/strict";
import { pnlCurve } from "@/engine/browser_miner/miner_detail.ts";

const step = (seconds: number, pnl: number) => ({
  timestampNs: seconds * 1e9,
  pnlByBook: new Map(pnl === 0 ? [] : [[0, pnl], [1, 0]]),
});

Deno.test("the PnL curve accumulates per-step PnL and ends at the realised total", () => {
  const history = [step(1, 0), step(2, 1.5), step(3, -0.5)];
  deepEqual(pnlCurve(history, 1), [
    { time: 1, pnl: 0 },
    { time: 2, pnl: 1.5 },
    { time: 3, pnl: 1 },
  ]);
  // Steps that left the window set the starting level.
  deepEqual(pnlCurve(history, 11).map((point) => point.pnl), [10, 11.5, 11]);
  deepEqual(pnlCurve([], 4), []);
});

Deno.test("a long history is thinned, keeping the last step", () => {
  const history = Array.from({ length: 1000 }, (_, i) => step(i + 1, 1));
  const curve = pnlCurve(history, 1000, 100);
  equal(curve.length, 100);
  deepEqual(curve.at(-1), { time: 1000, pnl: 1000 });
  equal(curve.every((point, i) => i === 0 || point.time > curve[i - 1].time), true);
  throws(() => pnlCurve(history, 0, 1), /Invalid maxPoints 1: must be an integer ≥ 2/);
});
