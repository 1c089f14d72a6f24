/**
 * The forecast pool's maths (shared/reference/tsps.md): candles, error and
 * skill against naive, TSPS's loss normalisation, commit-reveal, the EMA
 * ledger, copy detection and indicators for forecast agents.
 *
 * @module
 */
export * from "@/engine/forecast/candles.ts";
export * from "@/engine/forecast/commit_reveal.ts";
export * from "@/engine/forecast/copy_detection.ts";
export * from "@/engine/forecast/forecast_error.ts";
export * from "@/engine/forecast/indicators.ts";
export * from "@/engine/forecast/ledger.ts";
export * from "@/engine/forecast/loss_normalization.ts";
export * from "@/engine/forecast/forecast_request.ts";
