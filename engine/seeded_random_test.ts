import { deepEqual, equal, ok } from "node:assert/strict";
import { SeededRandom } from "@/engine/seeded_random.ts";

Deno.test("the same seed gives the same draws; another seed does not", () => {
  deepEqual(new SeededRandom(7).normals(16, 1), new SeededRandom(7).normals(16, 1));
  ok(new SeededRandom(7).uniform() !== new SeededRandom(8).uniform());
});

Deno.test("normals have roughly zero mean and the requested spread", () => {
  const values = new SeededRandom(1).normals(20_000, 2);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  ok(Math.abs(mean) < 0.05, `mean ${mean}`);
  ok(Math.abs(Math.sqrt(variance) - 2) < 0.05, `std ${Math.sqrt(variance)}`);
});

Deno.test("integers stay in [from, to)", () => {
  const random = new SeededRandom(3);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) seen.add(random.integer(-2, 3));
  deepEqual([...seen].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
  equal(random.integer(5, 6), 5);
});
