// This module is browser compatible.
/**
 * The leaderboard's shape, shared by the server (server/leaderboard.ts
 * builds it) and the browser (islands/LeaderboardTable.tsx shows it), and
 * how its figures are written, so the page and its tests agree.
 *
 * @module
 */
import type { PoolName, PoolSplit } from "@/engine/scoring/pools.ts";
import { NO_VALUE } from "@/engine/market_data/format.ts";

export interface LeaderboardRow {
  uid: number;
  hotkey: string | null;
  fills: number;
  realizedPnl: number;
  /** Score components; null before the first scoring. */
  kappa: number | null;
  pnl: number | null;
  trading: number | null;
  /** Share of the emission after shaping, EMA and pools; null before the first scoring. */
  weight: number | null;
  /**
   * What each pool gave the miner, as fractions of the emission (they add up
   * to `weight`); null before the first scoring.
   */
  pools: Record<PoolName, number> | null;
  /**
   * The u16 weight this validator's last set_weights left on chain for the
   * UID, as the chain stores it (max-upscaled; 0 when left out); null while
   * this validator has no weights on chain.
   */
  chainWeight: number | null;
}

/** When this validator's weights were last stored on chain. */
export interface ChainWeightsInfo {
  chain: "local" | "subtensor";
  /** Unix ms on the local network, a block number on subtensor. */
  setAt: number;
}

export interface Leaderboard {
  round: number;
  rows: LeaderboardRow[];
  /** The u16 weights last computed for the chain. */
  weights: { uids: number[]; weights: number[] };
  /**
   * How much of the emission each pool got at the last scoring, after
   * participation scaling (engine/scoring/pools.ts combinePools); null before it.
   */
  pools: PoolSplit | null;
  /** This validator's weights as stored on chain; null until they are set. */
  chainWeights: ChainWeightsInfo | null;
}

/** A score with `digits` decimals; never "-0.000". */
export function formatScore(value: number | null, digits = 3): string {
  return value === null ? NO_VALUE : (Number(value.toFixed(digits)) || 0).toFixed(digits);
}

/** A fraction of the emission as a percentage with two decimals: 0.475 → "47.50%". */
export function formatShare(fraction: number | null): string {
  return fraction === null ? NO_VALUE : `${formatScore(fraction * 100, 2)}%`;
}

/** A u16 chain weight with thousands separators: 65535 → "65,535". */
export function formatU16(value: number | null): string {
  return value === null ? NO_VALUE : value.toLocaleString("en-US");
}

/** When weights were set: a UTC time on the local network, a block on subtensor. */
export function formatSetAt(info: ChainWeightsInfo | null): string {
  if (info === null) return "not yet";
  if (info.chain === "subtensor") return `block ${info.setAt.toLocaleString("en-US")}`;
  return `${new Date(info.setAt).toISOString().slice(11, 19)} UTC`;
}
