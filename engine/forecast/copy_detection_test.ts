import { deepEqual } from "node:assert/strict";
import { copyGroups, splitAmongCopies } from "@/engine/forecast/copy_detection.ts";

Deno.test("a copying miner gains nothing: copies share one reward", () => {
  const honest = [100, 101, 102];
  const forecasts = new Map([
    ["a", honest],
    ["copy", [100, 101, 102.000001]],
    ["b", [99, 98, 97]],
  ]);
  const groups = copyGroups(forecasts);
  deepEqual(groups, [["a", "copy"], ["b"]]);
  const split = splitAmongCopies(new Map([["a", 0.6], ["copy", 0.6], ["b", 0.2]]), groups);
  deepEqual([...split.entries()], [["a", 0.3], ["copy", 0.3], ["b", 0.2]]);
});

Deno.test("measured against the last close, near-flat but different forecasts are not copies", () => {
  const last = 300;
  const forecasts = new Map([
    ["naive", [300, 300, 300]],
    ["smoothing", [299.9, 299.85, 299.8]],
    ["copy", [299.9, 299.85, 299.800001]],
    ["naive2", [300, 300, 300]],
  ]);
  // By price level alone the first three look alike (0.05% apart)…
  deepEqual(copyGroups(forecasts, 1e-3), [["naive", "smoothing", "copy", "naive2"]]);
  // …against their moves from the last close only true copies group.
  deepEqual(copyGroups(forecasts, 1e-4, last), [["naive", "naive2"], ["smoothing", "copy"]]);
});
