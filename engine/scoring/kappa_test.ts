import { equal } from "node:assert/strict";
import {
  bookKappa3,
  kappaRatio,
  type PnlObservation,
  TAOS_KAPPA,
  taosKappa3,
} from "@/engine/scoring/kappa.ts";

/** Bacon (2008) portfolio_bacon column 1, the PerformanceAnalytics test data (perf.md §4). */
const bacon = [
  0.3,
  2.6,
  1.1,
  -1.0,
  1.5,
  2.5,
  1.6,
  6.7,
  -1.4,
  4.0,
  -0.5,
  8.1,
  4.0,
  -3.7,
  -6.1,
  1.7,
  -4.9,
  -2.2,
  7.0,
  5.8,
  -6.5,
  2.4,
  -0.5,
  -0.9,
].map((percent) => percent / 100);

const close = (actual: number, expected: number, digits = 5) =>
  equal(Math.abs(actual - expected) < 0.5 * 10 ** -digits, true, `${actual} vs ${expected}`);

Deno.test("Kaplan–Knowles K_n matches the PerformanceAnalytics vectors", () => {
  close(kappaRatio(bacon, 0.005, 1), 0.29179);
  close(kappaRatio(bacon, 0.005, 2), 0.15664);
  close(kappaRatio(bacon, 0.005, 3), 0.11965);
  close(kappaRatio(bacon, 0, 3), 0.29446);
});

Deno.test("τaos book K: the downside branch with MAD scaling and the regulariser", () => {
  // x = [1, -1, 2, -2, 3]: median 1, MAD = median(|x − 1|) = median([0,2,1,3,2]) = 2.
  // r = [0.5, -0.5, 1, -1, 1.5]; μ = 0.3; LPM3 = (0.125 + 1)/5 = 0.225;
  // sd = sqrt(mean(r²) − μ²) = sqrt(0.95 − 0.09); reg = (0.1 · (0.3 + sd))³.
  const sd = Math.sqrt(0.86);
  const expected = 0.3 / Math.cbrt(0.225 + (0.1 * (0.3 + sd)) ** 3);
  close(bookKappa3([1, -1, 2, -2, 3])!, expected, 10);
});

Deno.test("τaos book K: an all-gains book uses the upside branch; too few trades give none", () => {
  // r = x / MAD; LPM3 = 0 ≤ ε so K = μ / ∛(UPM3 + reg), finite and positive.
  const k = bookKappa3([1, 2, 3, 4])!;
  // x = [1,2,3,4]: median 2.5, MAD = median([1.5,.5,.5,1.5]) = 1; r = x.
  const mu = 2.5;
  const upm3 = (1 + 8 + 27 + 64) / 4;
  const sd = Math.sqrt(1.25);
  close(k, mu / Math.cbrt(upm3 + (0.1 * (mu + sd)) ** 3), 10);
  equal(bookKappa3([0, 0, 5, 0, 0, 1]), null);
  equal(bookKappa3([-1, -2, -3]) !== null && bookKappa3([-1, -2, -3])! < 0, true);
});

Deno.test("the lookback window, the minimum span and changeover masking", () => {
  const second = 1e9;
  const series = (count: number, startNs = 0, stepNs = 5 * second) =>
    Array.from({ length: count }, (_, i): PnlObservation => ({
      timestampNs: startNs + i * stepNs,
      pnlByBook: new Map([[0, i % 3 === 0 ? -1 : 2], [1, i % 2 === 0 ? 1 : -0.5]]),
    }));
  // 1 h of history is below the 1.5 h minimum lookback.
  equal(taosKappa3(series(721), [0, 1]), null);
  const result = taosKappa3(series(2400), [0, 1])!;
  equal(result.perBook.size, 2);
  const k0 = result.perBook.get(0)!;
  // Only the last 3 h (2161 observations) count: the same as scoring that tail alone.
  const tail = series(2400).slice(-2161).map((o) => o.pnlByBook.get(0)!);
  close(k0, bookKappa3(tail)!, 12);
  const normalized = result.normalizedPerBook.get(0)!;
  close(normalized, Math.min(1, Math.max(0, (k0 + 2.5) / 5)), 12);
  equal(result.median !== null && result.average !== null && result.total !== null, true);

  // A 10-minute gap marks a changeover: the observation after it is dropped.
  const withGap = [...series(1200), ...series(1200, 1200 * 5 * second + 600 * second)];
  const gapped = taosKappa3(withGap, [0], { ...TAOS_KAPPA, lookbackNs: 1e15 })!;
  const expected = withGap.filter((_, i) => i !== 1200).map((o) => o.pnlByBook.get(0)!);
  close(gapped.perBook.get(0)!, bookKappa3(expected)!, 12);
});
