import { leaderboard } from "@/server/leaderboard.ts";
import type { AppContext } from "@/server/web_context.ts";

/**
 * GET /api/leaderboard: every funded miner's fills, PnL, score components,
 * pool contributions, weight and u16 weight on chain; the pools' shares.
 */
export async function GET(c: AppContext): Promise<Response> {
  const { loop, chain } = c.var.services;
  return c.json(await leaderboard(loop, chain));
}
