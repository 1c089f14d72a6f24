/**
 * What the forecasts page shows (routes/forecasts.tsx,
 * islands/ForecastBoard.tsx, GET /api/forecasts): each stream's recent
 * closes, its newest requests with every miner's forecast and, once
 * scored, what happened; and the forecast ledger.
 *
 * @module
 */

export interface ForecastLine {
  uid: number;
  hotkey: string;
  /** The revealed closes, or null when missing, malformed or mismatched. */
  predictions: number[] | null;
  reason: string;
  /** Once scored: skill against naive and the share after copy splitting. */
  skill?: number;
  share?: number;
  /** Other hotkeys in its copy group, when it has one. */
  copies?: string[];
}

export interface ForecastRequestView {
  id: string;
  /** Close time of the last candle the miners saw, stream ms. */
  origin: number;
  intervalMs: number;
  horizon: number;
  status: "pending" | "scored" | "void";
  lastClose: number;
  /** Closes before the origin, oldest first. */
  recentCloses: number[];
  /** The realised closes, once scored. */
  actual?: number[];
  voidReason?: string;
  forecasts: ForecastLine[];
}

export interface ForecastStreamView {
  id: string;
  intervalMs: number;
  /** Recent candles' close times (stream ms) and closes, oldest first. */
  closeTimes: number[];
  closes: number[];
  /** Newest first. */
  requests: ForecastRequestView[];
}

export interface ForecastLeaderRow {
  uid: number;
  hotkey: string;
  /** EMA ledger value (what the forecast pool pays by). */
  value: number;
  requests: number;
  lastSkill: number;
}

export interface ForecastBoardView {
  horizon: number;
  cadenceMs: number;
  streams: ForecastStreamView[];
  leaderboard: ForecastLeaderRow[];
}
