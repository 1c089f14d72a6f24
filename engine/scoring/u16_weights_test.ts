import { deepEqual, equal, throws } from "node:assert/strict";
import {
  normalizeMaxWeight,
  processWeights,
  roundHalfEven,
  toU16Weights,
} from "@/engine/scoring/u16_weights.ts";

Deno.test("banker's rounding as Python's round()", () => {
  deepEqual([0.5, 1.5, 2.5, 2.4, 2.6, 3.5].map(roundHalfEven), [0, 2, 2, 2, 3, 4]);
});

Deno.test("weights max-upscale to 65535 and zeros are dropped, as the SDK emits them", () => {
  // The chain stores [10, 20] as [32768, 65535] (chain.md §1.4): 10/20 · 65535 = 32767.5 → 32768.
  deepEqual(toU16Weights([4, 7], [10, 20]), { uids: [4, 7], weights: [32768, 65535] });
  deepEqual(toU16Weights([1, 2, 3], [0.5, 0, 0.25]), { uids: [1, 3], weights: [65535, 32768] });
  deepEqual(toU16Weights([1, 2], [1e-9, 1]), { uids: [2], weights: [65535] });
  deepEqual(toU16Weights([1], [0]), { uids: [], weights: [] });
  throws(() => toU16Weights([1], [-1]), /weights\[0\]: must be finite and ≥ 0/);
  throws(() => toU16Weights([1, 2], [1]), /1 weights for 2 uids/);
});

Deno.test("normalize_max_weight caps the largest share", () => {
  const capped = normalizeMaxWeight([1, 1, 1, 10], 0.4);
  equal(Math.abs(capped.reduce((a, b) => a + b, 0) - 1) < 1e-12, true);
  equal(Math.max(...capped) <= 0.4 + 1e-6, true);
  deepEqual(normalizeMaxWeight([1, 2, 1], 0.5), [0.25, 0.5, 0.25]);
  deepEqual(normalizeMaxWeight([1, 9], 0.4), [0.5, 0.5]); // n · limit ≤ 1: uniform
});

Deno.test("process_weights: uniform when nothing is set, filled when too few are", () => {
  const options = { n: 4, minAllowedWeights: 2, maxWeightLimit: 1, excludeQuantile: 0 };
  deepEqual(processWeights([0, 1, 2, 3], [0, 0, 0, 0], options), {
    uids: [0, 1, 2, 3],
    weights: [0.25, 0.25, 0.25, 0.25],
  });
  const few = processWeights([0, 1, 2, 3], [0, 0, 1, 0], options);
  deepEqual(few.uids, [0, 1, 2, 3]);
  equal(few.weights[2] > 0.99 && few.weights[0] > 0, true);
  const many = processWeights([0, 1, 2, 3], [0.1, 0.2, 0.3, 0.4], options);
  deepEqual(many.uids, [0, 1, 2, 3]);
  equal(Math.abs(many.weights[3] - 0.4) < 1e-12, true);
});
