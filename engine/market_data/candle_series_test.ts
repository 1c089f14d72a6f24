import { deepEqual, equal, throws } from "node:assert/strict";
import { CandleSeries, mergeCandles } from "@/engine/market_data/candle_series.ts";

const step = (open: number, high: number, low: number, close: number, volume: number) => ({
  open,
  high,
  low,
  close,
  volume,
});

Deno.test("CandleSeries.record() folds steps of one interval into one candle", () => {
  const series = new CandleSeries(10, 5);
  series.record(0, step(100, 104, 99, 103, 5));
  series.record(3, step(103, 108, 102, 107, 2));
  series.record(9, step(107, 107, 95, 96, 1));
  deepEqual(series.since(), [{ time: 0, open: 100, high: 108, low: 95, close: 96, volume: 8 }]);
});

Deno.test("CandleSeries.record() opens a new candle per interval, stamped with its open time", () => {
  const series = new CandleSeries(10, 5);
  series.record(7, step(100, 100, 100, 100, 1));
  series.record(12, step(101, 102, 101, 102, 3));
  deepEqual(series.since().map((candle) => [candle.time, candle.open, candle.close]), [
    [0, 100, 100],
    [10, 101, 102],
  ]);
});

Deno.test("CandleSeries.record() carries the last close into an interval without trades", () => {
  const series = new CandleSeries(1, 5);
  series.record(0, null);
  equal(series.length, 0, "no candle before the first trade");
  series.record(1, step(100, 101, 99, 100, 4));
  series.record(2, null);
  deepEqual(series.at(-1), { time: 2, open: 100, high: 100, low: 100, close: 100, volume: 0 });
});

Deno.test("CandleSeries keeps only the newest `capacity` candles", () => {
  const series = new CandleSeries(1, 3);
  for (let time = 0; time < 7; time++) series.record(time, step(time, time, time, time, 1));
  equal(series.length, 3);
  deepEqual(series.since().map((candle) => candle.time), [4, 5, 6]);
  deepEqual(series.closes(2), [5, 6]);
  deepEqual(series.since(5).map((candle) => candle.time), [5, 6]);
});

Deno.test("CandleSeries.aggregateSince() folds a window into one candle", () => {
  const series = new CandleSeries(1, 10);
  series.record(0, step(10, 12, 9, 11, 1));
  series.record(1, step(11, 15, 11, 14, 2));
  series.record(2, step(14, 14, 8, 9, 3));
  deepEqual(series.aggregateSince(1), { time: 1, open: 11, high: 15, low: 8, close: 9, volume: 5 });
  equal(series.aggregateSince(3), undefined);
});

Deno.test("CandleSeries refuses time going backwards and bad sizes, naming the value", () => {
  const series = new CandleSeries(10, 2);
  series.record(25, step(1, 1, 1, 1, 1));
  throws(() => series.record(15, null), /Cannot record time 15: the series is already at 20/);
  throws(() => new CandleSeries(0, 2), /Invalid candle interval 0/);
  throws(() => new CandleSeries(1, 0), /Invalid candle capacity 0/);
});

Deno.test("mergeCandles() replaces same-time candles, appends newer ones and trims", () => {
  const candle = (time: number, close: number) => ({
    time,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
  });
  const merged = mergeCandles([candle(0, 1), candle(1, 2), candle(2, 3)], [
    candle(2, 4),
    candle(3, 5),
  ], 3);
  deepEqual(merged.map((c) => [c.time, c.close]), [[1, 2], [2, 4], [3, 5]]);
  deepEqual(mergeCandles([candle(0, 1)], [], 3), [candle(0, 1)]);
});
