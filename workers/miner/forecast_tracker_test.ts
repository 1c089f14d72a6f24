import { deepEqual, equal } from "node:assert/strict";
import type { ForecastRequestFrame } from "@/engine/gateway/frames.ts";
import { ForecastTracker } from "@/workers/miner/forecast_tracker.ts";

function request(id: string, lastClose: number): ForecastRequestFrame {
  return {
    t: "forecast",
    v: 1,
    id,
    stream: "book-0",
    intervalMs: 300_000,
    horizon: 3,
    history: {
      closeTime: [1],
      open: [lastClose],
      high: [lastClose],
      low: [lastClose],
      close: [lastClose],
      volume: [1],
    },
  };
}

Deno.test("forecast figures: skill against naive per outcome, only for this tab's commitments", () => {
  const tracker = new ForecastTracker();
  deepEqual(tracker.figures(), {
    requests: 0,
    committed: 0,
    scored: 0,
    lastSkill: null,
    meanSkill: null,
  });
  tracker.requested();
  tracker.requested();
  tracker.committed(request("a", 100), [101, 102, 103]);
  tracker.committed(request("b", 100), [100, 100, 100]);
  tracker.outcome("unknown", [1, 2, 3]);
  tracker.outcome("a", [101, 102, 103]);
  tracker.outcome("b", [101, 102, 103]);
  tracker.outcome("a", [0, 0, 0]);
  const figures = tracker.figures();
  equal(figures.requests, 2);
  equal(figures.committed, 2);
  equal(figures.scored, 2);
  equal(figures.lastSkill, 0, "naive scores nothing against naive");
  equal(figures.meanSkill, 0.5, "the perfect forecast scored 1");
});

Deno.test("a partly realised horizon is scored on the closes that came back", () => {
  const tracker = new ForecastTracker();
  tracker.committed(request("a", 100), [101, 102, 103, 104]);
  tracker.outcome("a", [101, 102]);
  equal(tracker.figures().lastSkill, 1);
});
