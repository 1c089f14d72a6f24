// This module is browser compatible.
/**
 * The candle intervals the viewer offers, in simulated seconds
 * (engine/market_data/time_base.ts). At the default 100 ms per step a
 * 1-minute candle closes every 6 wall seconds.
 *
 * @module
 */

/** Interval name → length in simulated seconds. */
export const CANDLE_INTERVALS = { "1s": 1, "10s": 10, "1m": 60, "5m": 300 } as const;

export type CandleInterval = keyof typeof CANDLE_INTERVALS;

/** Every interval name, shortest first. */
export const CANDLE_INTERVAL_NAMES = Object.keys(CANDLE_INTERVALS) as CandleInterval[];

/** The interval a book page opens with: the one traders read first. */
export const DEFAULT_CANDLE_INTERVAL: CandleInterval = "1m";

/** Whether `name` is one of CANDLE_INTERVALS. */
export function isCandleInterval(name: string): name is CandleInterval {
  return Object.hasOwn(CANDLE_INTERVALS, name);
}
