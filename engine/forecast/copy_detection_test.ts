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
