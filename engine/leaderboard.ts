/**
 * The leaderboard's shape, shared by the server (server/leaderboard.ts
 * builds it) and the browser (islands/LeaderboardTable.tsx shows it).
 *
 * @module
 */

export interface LeaderboardRow {
  uid: number;
  hotkey: string | null;
  fills: number;
  realizedPnl: number;
  /** Score components; null before the first scoring. */
  kappa: number | null;
  pnl: number | null;
  trading: number | null;
  weight: number | null;
}

export interface Leaderboard {
  round: number;
  rows: LeaderboardRow[];
  /** The u16 weights last computed for the chain. */
  weights: { uids: number[]; weights: number[] };
}
