/**
 * Builds the leaderboard (engine/leaderboard.ts): every funded miner with
 * its fills, realised PnL and, once scoring ran, its score components, what
 * each reward pool gave it, its weight and the u16 weight this validator
 * last stored on chain — for the page and for GET /api/leaderboard.
 *
 * @module
 */
import type { ChainWeightsInfo, Leaderboard, LeaderboardRow } from "@/engine/leaderboard.ts";
import type { ChainClient, WeightsRow } from "@/server/chain/chain_client.ts";
import type { ValidatorLoop } from "@/server/validator_loop.ts";

/** Rows by weight, then realised PnL. */
export async function leaderboard(loop: ValidatorLoop, chain: ChainClient): Promise<Leaderboard> {
  const [neurons, stored] = await Promise.all([chain.metagraph(), chain.weights()]);
  const validatorUid = neurons.find((neuron) => neuron.hotkey === loop.validatorHotkey)?.uid;
  const own: WeightsRow | undefined = stored.find((row) => row.uid === validatorUid);
  const chainWeights = new Map(own?.uids.map((uid, i) => [uid, own.weights[i]]));
  const scoring = loop.scoring;
  const scores = new Map((scoring?.scores ?? []).map((score) => [score.uid, score]));
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
      pools: score?.pools ?? null,
      // The chain stores no zero weights (chain.md §1.7): a UID left out of a stored row has 0.
      chainWeight: own === undefined ? null : chainWeights.get(uid) ?? 0,
    };
  });
  rows.sort((a, b) =>
    (b.weight ?? 0) - (a.weight ?? 0) || b.realizedPnl - a.realizedPnl || a.uid - b.uid
  );
  const setAt: ChainWeightsInfo | null = own ? { chain: chain.kind, setAt: own.setAt } : null;
  return {
    round: loop.roundNumber,
    rows,
    weights: scoring?.weights ?? { uids: [], weights: [] },
    pools: scoring?.pools ?? null,
    chainWeights: setAt,
  };
}
