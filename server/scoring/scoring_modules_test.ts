import { equal, throws } from "node:assert/strict";
import {
  createScoringModule,
  DEFAULT_SCORING_MODULE,
  isScoringModuleName,
  SCORING_MODULE_NAMES,
} from "@/server/scoring/scoring_modules.ts";
import { TradingLedger } from "@/server/scoring/trading_ledger.ts";
import { TradingScorer } from "@/server/scoring/trading_scorer.ts";

Deno.test("kappa is the default module and is the τaos 0.5 trading scorer", () => {
  equal(DEFAULT_SCORING_MODULE, "kappa");
  equal(SCORING_MODULE_NAMES[0], "kappa");
  const scorer = createScoringModule("kappa");
  equal(scorer instanceof TradingScorer, true);
  equal(scorer.name, "kappa");
});

Deno.test("each call gives a fresh module with its own state", () => {
  const [a, b] = [createScoringModule("kappa"), createScoringModule("kappa")];
  equal(a === b, false);
  const ledger = new TradingLedger([{ priceDecimals: 2, volumeDecimals: 2 }]);
  const round = a.score(ledger, [0, 1], 1, 2);
  equal(round.scores.length, 2);
});

Deno.test("unknown names are refused with the allowed names", () => {
  equal(isScoringModuleName("kappa"), true);
  equal(isScoringModuleName("toString"), false);
  throws(() => createScoringModule("debeta"), {
    name: "RangeError",
    message: 'Unknown scoring module "debeta": must be one of kappa',
  });
});
