// This module is browser compatible.
/**
 * Market data for the public viewer: candles, trades tape, 24-hour summary
 * and sparklines per book (pure aggregation, fed step by step), and the
 * live feed's message types.
 *
 * @module
 */
export * from "@/engine/market_data/book_market_data.ts";
export * from "@/engine/market_data/book_step.ts";
export * from "@/engine/market_data/candle_interval.ts";
export * from "@/engine/market_data/candle_series.ts";
export * from "@/engine/market_data/feed_messages.ts";
export * from "@/engine/market_data/format.ts";
export * from "@/engine/market_data/time_base.ts";
export * from "@/engine/market_data/trade_tape.ts";
