import { deepEqual, equal, throws } from "node:assert/strict";
import {
  forecastRequestFrame,
  historyCandles,
  readForecastAnswer,
  readHistoryAsk,
} from "@/engine/forecast/forecast_frames.ts";

Deno.test("request frames carry candles as columns and back", () => {
  const candles = [
    { closeTime: 300_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 },
    { closeTime: 600_000, open: 1.5, high: 1.6, low: 1.4, close: 1.45, volume: 1 },
  ];
  const frame = forecastRequestFrame("s@600000", "s", 300_000, 100, candles);
  deepEqual(frame.history.close, [1.5, 1.45]);
  deepEqual(historyCandles(frame), candles);
});

Deno.test("forecast answers: commitments, predictions, foreign bodies and bad fields", () => {
  const hash = "ab".repeat(32);
  deepEqual(readForecastAnswer({ forecast: "x", commitment: hash.toUpperCase() }), {
    forecast: "x",
    commitment: hash,
  });
  deepEqual(readForecastAnswer({ forecast: "x", predictions: [1, 2] }), {
    forecast: "x",
    predictions: [1, 2],
  });
  equal(readForecastAnswer({ step: 3, instructions: [] }), null);
  throws(() => readForecastAnswer({ forecast: "x", commitment: "abc" }), /64 hex digits/);
  throws(() => readForecastAnswer({ forecast: "", predictions: [] }), /id of 1 to 128/);
  throws(() => readForecastAnswer({ forecast: "x", predictions: 5 }), /at most 1000 numbers/);
});

Deno.test("history requests name a stream and a time", () => {
  deepEqual(readHistoryAsk({ history: "s", after: 5 }), { history: "s", after: 5 });
  equal(readHistoryAsk({ forecast: "x" }), null);
  throws(() => readHistoryAsk({ history: "s", after: "5" }), /Invalid after: must be a time in ms/);
  throws(() => readHistoryAsk({ history: 3, after: 5 }), /stream name of 1 to 128/);
});
