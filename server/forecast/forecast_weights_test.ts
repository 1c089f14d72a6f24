import { equal } from "node:assert/strict";
import { createScoringModule } from "@/server/scoring/scoring_modules.ts";
import { TradingLedger } from "@/server/scoring/trading_ledger.ts";

Deno.test("the forecast pool's scores reach the weights set_weights carries", () => {
  const ledger = new TradingLedger([{ priceDecimals: 2, volumeDecimals: 4 }]);
  const without = createScoringModule("kappa").score(ledger, [1, 2], 1, 4);
  const scorer = createScoringModule("kappa", {
    forecast: (uidCount) => ({
      scores: new Array(uidCount).fill(0).with(3, 0.4),
      participation: 1,
    }),
  });
  const round = scorer.score(ledger, [1, 2], 1, 4);
  const weightOf = (r: typeof round, uid: number) =>
    r.weights.weights[r.weights.uids.indexOf(uid)] ?? 0;
  equal(weightOf(without, 3), 0);
  equal(weightOf(round, 3) > 0, true, "the forecaster (UID 3) earns through the forecast pool");
  // A forecast pool in which nobody beat naive takes no share (it returns to trading).
  const idle = createScoringModule("kappa", {
    forecast: (uidCount) => ({ scores: new Array(uidCount).fill(0), participation: 1 }),
  }).score(ledger, [1, 2], 1, 4);
  equal(weightOf(idle, 3), weightOf(without, 3));
});
