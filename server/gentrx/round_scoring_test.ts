import { deepEqual, equal } from "node:assert/strict";
import { nextEma, rankNormalise } from "@/server/gentrx/round_scoring.ts";

Deno.test("rank normalisation: rank/(N−1), ties share, a lone score gets 1", () => {
  deepEqual(
    rankNormalise(new Map([[4, 0.3], [1, -0.05], [7, 0.1]])),
    new Map([[1, 0], [7, 0.5], [4, 1]]),
  );
  deepEqual(rankNormalise(new Map([[2, 0.2], [3, 0.2]])), new Map([[2, 0.5], [3, 0.5]]));
  deepEqual(rankNormalise(new Map([[9, -0.01]])), new Map([[9, 1]]));
  deepEqual(rankNormalise(new Map()), new Map());
});

Deno.test("the GenTRX EMA starts at 0 with α = 0.1 (τaos's code)", () => {
  equal(nextEma(undefined, 1), 0.1);
  equal(nextEma(0.1, 1), 0.9 * 0.1 + 0.1);
});
