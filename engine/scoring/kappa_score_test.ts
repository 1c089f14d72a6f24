import { equal } from "node:assert/strict";
import {
  activeFactor,
  kappaScore,
  outlierPenalty,
  pnlScore,
} from "@/engine/scoring/kappa_score.ts";

const near = (a: number, b: number) => equal(Math.abs(a - b) < 1e-12, true, `${a} vs ${b}`);
const book = (normalizedKappa: number | null, activity = 1, pnl = 0) => ({
  normalizedKappa,
  activity,
  pnl,
});

Deno.test("with τaos defaults the score is the median normalised K", () => {
  near(kappaScore([book(0.6), book(0.7), book(0.8)]), 0.7);
  near(activeFactor(1e9), 1); // impact 0: any activity gives 1
});

Deno.test("inactive books up to 37.5% are ignored, the rest count as zero", () => {
  // 8 books: 3 may be missing. With 3 missing the median of 5 scores is 0.6.
  const five = [0.5, 0.55, 0.6, 0.65, 0.7].map((k) => book(k));
  near(kappaScore([...five, book(null), book(null), book(null)]), 0.6);
  // 4 missing: one counts as 0 → scores [0, 0.5, .55, .6, .65, .7]... minus the first missing.
  const four = [0.5, 0.55, 0.6, 0.65].map((k) => book(k));
  near(kappaScore([...four, book(null), book(null), book(null), book(null)]), 0.55);
});

Deno.test("c below one scales K; above one it rewards high K and tempers low K", () => {
  near(kappaScore([book(0.8, 0.5)]), 0.4);
  near(kappaScore([book(0.8, 1.5)]), 1); // 1.5 · 0.8 = 1.2, capped at 1
  near(kappaScore([book(0.4, 1.5)]), 0.2); // (2 − 1.5) · 0.4
});

Deno.test("a left-tail outlier with a low median is penalised", () => {
  const scores = [0.0, 0.4, 0.42, 0.44, 0.46];
  // Q1 0.4, Q3 0.44, IQR 0.04: threshold 0.4 − 1.5 · 0.04 = 0.34; 0 is an outlier; median 0.42.
  near(outlierPenalty(scores), ((0.5 - 0.42) / 1.5) * (1 - Math.exp(-5 * 0.04)));
  equal(outlierPenalty([0.6, 0.7, 0.8]), 0);
  near(kappaScore(scores.map((k) => book(k))), 0.42 - outlierPenalty(scores));
});

Deno.test("PnL score: median of clipped PnL over 3 h of capital, halved", () => {
  const scale = 50_000 * 3 / 24;
  near(pnlScore([scale, scale / 2, -scale / 4]), 0.25);
  near(pnlScore([10 * scale]), 0.5);
  near(pnlScore([]), 0);
});
