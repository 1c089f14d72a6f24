import { equal } from "node:assert/strict";
import {
  direction,
  formatCompact,
  formatPercentChange,
  formatSignedTicks,
  formatTicks,
  percentDirection,
} from "@/engine/market_data/format.ts";
import { formatSimulatedClock, stepStartSeconds } from "@/engine/market_data/time_base.ts";

Deno.test("formatTicks() prints fixed decimals with separators, or a dash", () => {
  equal(formatTicks(30012, 2), "300.12");
  equal(formatTicks(123456789, 4), "12,345.6789");
  equal(formatTicks(null, 2), "—");
});

Deno.test("signed changes and percentages carry their sign", () => {
  equal(formatSignedTicks(12, 2), "+0.12");
  equal(formatSignedTicks(-1250, 2), "−12.50");
  equal(formatSignedTicks(0, 2), "0.00");
  equal(formatPercentChange(3, 300), "+1.00%");
  equal(formatPercentChange(-3, 300), "−1.00%");
  equal(formatPercentChange(0, 300), "0.00%");
  equal(formatPercentChange(1, null), "—");
  equal(formatPercentChange(-1, 30_000), "0.00%");
  equal(percentDirection(-1, 30_000), "flat", "a change shown as 0.00% is not coloured");
  equal(percentDirection(-3, 300), "down");
  equal(direction(-1), "down");
  equal(direction(null), "flat");
});

Deno.test("formatCompact() shortens large quantities", () => {
  equal(formatCompact(123_456_789_0, 4), "123.5K");
  equal(formatCompact(5_000, 4), "0.5");
});

Deno.test("the simulated clock starts at step 1 and shows days past the first", () => {
  equal(stepStartSeconds(1), 0);
  equal(formatSimulatedClock(stepStartSeconds(3662)), "01:01:01");
  equal(formatSimulatedClock(86_400 * 2 + 5), "d2 00:00:05");
});
