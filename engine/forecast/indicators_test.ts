import { deepEqual, equal } from "node:assert/strict";
import { bollinger, emaSeries, macd, rsi } from "@/engine/forecast/indicators.ts";

Deno.test("EMA, RSI, MACD and Bollinger on hand-checkable series", () => {
  deepEqual(emaSeries([1, 3], 3), [1, 2]);
  const rising = Array.from({ length: 20 }, (_, i) => i);
  equal(rsi(rising, 14)[14], 100);
  equal(Number.isNaN(rsi(rising, 14)[13]), true);
  const zigzag = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 10 : 11));
  equal(Math.abs(rsi(zigzag, 14)[29] - 50) < 5, true);
  const flat = new Array(40).fill(5);
  deepEqual(macd(flat).line.at(-1), 0);
  const bands = bollinger([1, 2, 3, 4], 4, 2);
  equal(bands.middle[3], 2.5);
  equal(Math.abs(bands.upper[3] - (2.5 + 2 * Math.sqrt(1.25))) < 1e-12, true);
  equal(Number.isNaN(bands.lower[2]), true);
});
