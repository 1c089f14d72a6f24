import { equal, throws } from "node:assert/strict";
import { VolumePacer } from "@/engine/agent/volume_pacer.ts";
import { VOLUME_CAP } from "@/engine/protocol/agent_response.ts";

const HOUR_NS = 3_600e9;

Deno.test("a pacer lets rolling volume grow with the day, up to its share of the cap", () => {
  const pacer = new VolumePacer(0.9);
  equal(pacer.allows({ v: 0 }, 5e9), true, "the first state starts the day");
  // 15 minutes of allowance at the start (1/96 of the day's budget).
  equal(pacer.allows({ v: 0.9 * VOLUME_CAP / 96 - 1 }, 5e9), true);
  equal(pacer.allows({ v: 0.9 * VOLUME_CAP / 96 }, 5e9), false);
  // Half a day in, half the budget.
  equal(pacer.allows({ v: 0.44 * VOLUME_CAP }, 5e9 + 12 * HOUR_NS), true);
  equal(pacer.allows({ v: 0.46 * VOLUME_CAP }, 5e9 + 12 * HOUR_NS), false);
  // After a day the budget stays at 90 % of the cap.
  equal(pacer.allows({ v: 0.89 * VOLUME_CAP }, 5e9 + 40 * HOUR_NS), true);
  equal(pacer.allows({ v: 0.9 * VOLUME_CAP }, 5e9 + 40 * HOUR_NS), false);
});

Deno.test("a new simulation (the clock going back) starts the pacer's day again", () => {
  const pacer = new VolumePacer();
  pacer.allows({ v: 0 }, 30 * HOUR_NS);
  equal(pacer.allows({ v: 0.5 * VOLUME_CAP }, 1e9), false);
  equal(pacer.allows(undefined, 1e9), true, "no account yet is no volume");
});

Deno.test("a pacer's share must lie in (0, 1]", () => {
  throws(() => new VolumePacer(0), /share must be in \(0, 1\], got 0/);
  throws(() => new VolumePacer(1.5), /got 1.5/);
});
