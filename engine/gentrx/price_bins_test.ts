import { deepEqual, equal, throws } from "node:assert/strict";
import { PriceBins } from "@/engine/gentrx/price_bins.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const bins = new PriceBins(100, 500);

Deno.test("τaos's centre bin 50 holds offsets −1 and 0; neighbours are one tick wide", () => {
  equal(bins.centre, 50);
  deepEqual([-3, -2, -1, 0, 1, 2].map((offset) => bins.binOf(offset)), [48, 49, 50, 50, 51, 52]);
});

Deno.test("bins grow monotonically with the offset and clamp beyond ±500", () => {
  let previous = -1;
  for (let offset = -600; offset <= 600; offset++) {
    const bin = bins.binOf(offset);
    equal(bin >= previous, true, `offset ${offset}`);
    previous = bin;
  }
  equal(bins.binOf(-600), 0);
  equal(bins.binOf(-500), 0);
  equal(bins.binOf(500), 99);
  equal(bins.binOf(10_000), 99);
});

Deno.test("a sampled offset falls back into its bin", () => {
  const random = new SeededRandom(9);
  for (let bin = 0; bin < bins.count; bin++) equal(bins.binOf(bins.sample(bin, random)), bin);
  throws(() => bins.sample(100, random), /Cannot decode price bin 100: bins are 0..99/);
});
