import { deepEqual } from "node:assert/strict";
import { buildCandles } from "@/engine/forecast/candles.ts";

Deno.test("prints become 5-minute candles; quiet intervals repeat the close", () => {
  const minute = 60_000;
  const candles = buildCandles(
    [
      { time: 1 * minute, price: 10, quantity: 1 },
      { time: 2 * minute, price: 12, quantity: 2 },
      { time: 4 * minute, price: 11, quantity: 1 },
      { time: 12 * minute, price: 9, quantity: 5 },
    ],
    0,
    20 * minute,
  );
  deepEqual(candles, [
    { closeTime: 5 * minute, open: 10, high: 12, low: 10, close: 11, volume: 4 },
    { closeTime: 10 * minute, open: 11, high: 11, low: 11, close: 11, volume: 0 },
    { closeTime: 15 * minute, open: 9, high: 9, low: 9, close: 9, volume: 5 },
    { closeTime: 20 * minute, open: 9, high: 9, low: 9, close: 9, volume: 0 },
  ]);
  deepEqual(buildCandles([{ time: 6 * minute, price: 1, quantity: 1 }], 0, 10 * minute).length, 1);
});
