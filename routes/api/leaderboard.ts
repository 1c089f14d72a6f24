import type { AppContext } from "@/server/web_context.ts";

/**
 * GET /api/leaderboard: each scored miner's components (Kappa, PnL, trading
 * score), realised PnL, fills and weight, with its hotkey; plus the weights
 * as last sent to the chain. Empty until the first scoring.
 */
export async function GET(c: AppContext): Promise<Response> {
  const { loop, chain } = c.var.services;
  const neurons = await chain.metagraph();
  const scoring = loop.scoring;
  return c.json({
    miners: (scoring?.scores ?? []).map((score) => ({
      ...score,
      hotkey: neurons[score.uid]?.hotkey ?? null,
    })).sort((a, b) => b.weight - a.weight || a.uid - b.uid),
    weights: scoring?.weights ?? { uids: [], weights: [] },
  });
}
