// This module is browser compatible.
/**
 * The viewer's time base. The market advances in steps (server/market.ts
 * `step()`), each one simulated second (τaos's 1 s step,
 * shared/reference/taos.md §2.1), and the validator takes one step every
 * `stepMs` wall milliseconds (default 100, i.e. 10× real time). Candles,
 * the 24-hour window and the tape are therefore stamped in simulated
 * seconds since the market process started: step `s` covers the simulated
 * second [s − 1, s).
 *
 * @module
 */

/** Simulated seconds per market step (τaos §2.1). */
export const SIMULATED_SECONDS_PER_STEP = 1;

/** Seconds in a simulated day, the span of the "24h" figures. */
export const SECONDS_PER_DAY = 86_400;

/**
 * The simulated second at which step `step` starts.
 *
 * @example
 * ```ts
 * import { stepStartSeconds } from "@/engine/market_data/time_base.ts";
 * stepStartSeconds(1); // 0: the first step covers [0, 1)
 * ```
 */
export function stepStartSeconds(step: number): number {
  return (step - 1) * SIMULATED_SECONDS_PER_STEP;
}

/**
 * Formats simulated seconds as a clock, `hh:mm:ss`, prefixed with the day
 * (`d2 03:04:05`) once the market has run past one simulated day.
 */
export function formatSimulatedClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const day = Math.floor(whole / SECONDS_PER_DAY);
  const inDay = whole % SECONDS_PER_DAY;
  const clock = [Math.floor(inDay / 3600), Math.floor(inDay / 60) % 60, inDay % 60]
    .map((part) => String(part).padStart(2, "0"))
    .join(":");
  return day > 0 ? `d${day} ${clock}` : clock;
}
