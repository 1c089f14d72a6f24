import { deepEqual, throws } from "node:assert/strict";
import { checkCandle, mergeCandles } from "@/server/forecast/stream.ts";

Deno.test("merging sources: mean open/close, max high, min low, summed volume", () => {
  const a = { closeTime: 1, open: 10, high: 12, low: 9, close: 11, volume: 1 };
  const b = { closeTime: 1, open: 12, high: 13, low: 10, close: 13, volume: 2 };
  const c = { closeTime: 2, open: 11, high: 11, low: 11, close: 11, volume: 0 };
  deepEqual(mergeCandles([[a, c], [b]]), [
    { closeTime: 1, open: 11, high: 13, low: 9, close: 12, volume: 3 },
    c,
  ]);
  throws(() => checkCandle({ ...a, close: NaN }, "test"), /Invalid candle in test: close is NaN/);
});
