/**
 * Builds the leaderboard (engine/leaderboard.ts): every funded miner with
 * its fills, realised PnL and, once scoring ran, its score components and
 * weight — for the page and for GET /api/leaderboard.
 *
 * @module
 */
import type { Leaderboard, LeaderboardRow } from "@/engine/leaderboard.ts";
import type { ChainClient } from "@/server/chain/chain_client.ts";
import type { ValidatorLoop } from "@/server/validator_loop.ts";

/** Rows by weight, then realised PnL. */
export async function leaderboard(loop: ValidatorLoop, chain: ChainClient): Promise<Leaderboard> {
  const neurons = await chain.metagraph();
  const scores = new Map((loop.scoring?.scores ?? []).map((score) => [score.uid, score]));
  const rows = loop.fundedUids.map((uid): LeaderboardRow => {
    const score = scores.get(uid);
    return {
      uid,
      hotkey: neurons[uid]?.hotkey ?? null,
      ...loop.ledger.totals(uid),
      kappa: score?.kappa ?? null,
      pnl: score?.pnl ?? null,
      trading: score?.trading ?? null,
      weight: score?.weight ?? null,
    };
  });
  rows.sort((a, b) =>
    (b.weight ?? 0) - (a.weight ?? 0) || b.realizedPnl - a.realizedPnl || a.uid - b.uid
  );
  return {
    round: loop.roundNumber,
    rows,
    weights: loop.scoring?.weights ?? { uids: [], weights: [] },
  };
}
