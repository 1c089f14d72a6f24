import { deepEqual, equal } from "node:assert/strict";
import { judgeUpload, nextEma, rankNormalise } from "@/server/gentrx/round_scoring.ts";

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

Deno.test("an upload is accepted above the held-out threshold with an own-pages gain, any finite one in warm-up", () => {
  const rules = { warmup: false, acceptAbove: -0.1, requireOwnImprovement: true, overfitRatio: 3 };
  deepEqual(judgeUpload(0.2, 0.1, rules), { accepted: true, overfitting: false });
  deepEqual(judgeUpload(0.2, -0.1, rules), {
    accepted: false,
    overfitting: true,
    reason: "held-out improvement -0.1000 is not above -0.1",
  });
  deepEqual(judgeUpload(-0.01, 0.05, rules), {
    accepted: false,
    overfitting: false,
    reason: "own-pages improvement -0.0100 is not above 0",
  });
  deepEqual(judgeUpload(-0.01, 0.05, { ...rules, requireOwnImprovement: false }), {
    accepted: true,
    overfitting: false,
  });
  deepEqual(judgeUpload(-5, -5, { ...rules, warmup: true }), {
    accepted: true,
    overfitting: false,
  });
  deepEqual(judgeUpload(NaN, 0.1, { ...rules, warmup: true }), {
    accepted: false,
    overfitting: false,
    reason: "non-finite loss",
  });
});

Deno.test("overfitting is own > 3 × held (any positive own when held is not positive), and changes nothing else", () => {
  const rules = { warmup: false, acceptAbove: -0.1, requireOwnImprovement: true, overfitRatio: 3 };
  equal(judgeUpload(0.3, 0.1, rules).overfitting, false);
  deepEqual(judgeUpload(0.31, 0.1, rules), { accepted: true, overfitting: true });
  deepEqual(judgeUpload(0.01, -0.05, rules), { accepted: true, overfitting: true });
  equal(judgeUpload(0, -0.05, rules).overfitting, false);
});
