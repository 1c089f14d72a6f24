import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { LogBins } from "@/engine/gentrx/log_bins.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

Deno.test("bins cover 0..max without gaps, each at least one integer wide", () => {
  for (const [count, max] of [[64, 100], [64, 50_000_000], [49, 499], [4, 3]]) {
    const bins = new LogBins(count, max);
    let next = 0;
    for (let bin = 0; bin < count; bin++) {
      const { lower, upper } = bins.range(bin);
      equal(lower, next);
      ok(upper > lower, `bin ${bin} of ${count} over [0, ${max}] is empty`);
      next = upper;
    }
    equal(next, max + 1);
  }
});

Deno.test("small values get a bin each; widths grow; out-of-range values clamp", () => {
  const bins = new LogBins(64, 100);
  deepEqual([0, 1, 2, 3].map((value) => bins.binOf(value)), [0, 1, 2, 3]);
  ok(bins.range(63).upper - bins.range(63).lower > bins.range(10).upper - bins.range(10).lower);
  equal(bins.binOf(-5), 0);
  equal(bins.binOf(1_000), 63);
});

Deno.test("sampling a bin gives a value that falls back into it", () => {
  const bins = new LogBins(64, 50_000_000);
  const random = new SeededRandom(5);
  for (let bin = 0; bin < bins.count; bin++) equal(bins.binOf(bins.sample(bin, random)), bin);
});

Deno.test("impossible schemes and bins are clear errors", () => {
  throws(() => new LogBins(10, 5), /Cannot build 10 log bins over \[0, 5\]/);
  throws(() => new LogBins(4, 10).range(4), /Cannot read bin 4: bins are 0..3/);
});
