/**
 * One miner's public figures (GET /api/miners/:uid and its page): what the
 * validator loop's trading ledger, scorer and gateway know about a UID.
 *
 * @module
 */
import { type MinerDetail, pnlCurve } from "@/engine/browser_miner/miner_detail.ts";
import type { Services } from "@/server/web_context.ts";

/** What the figures are read from (a subset of the running services). */
export interface MinerDetailSources {
  loop: Pick<Services["loop"], "ledger" | "lastResponseMs" | "scoring">;
  gateway: Pick<Services["gateway"], "miners">;
  chain: Pick<Services["chain"], "metagraph">;
  market: { readonly bookCount: number };
}

/** `uid`'s figures, or null when no neuron holds that UID. */
export async function minerDetail(
  sources: MinerDetailSources,
  uid: number,
): Promise<MinerDetail | null> {
  const { loop, gateway, chain, market } = sources;
  const neurons = await chain.metagraph();
  const neuron = neurons.find((candidate) => candidate.uid === uid);
  if (neuron === undefined) return null;
  const connected = gateway.miners.find((miner) => miner.uid === uid);
  const totals = loop.ledger.totals(uid);
  const volumeByBook = Array.from(
    { length: market.bookCount },
    (_, bookId) => loop.ledger.volume(uid, bookId),
  );
  const score = loop.scoring?.scores.find((candidate) => candidate.uid === uid);
  return {
    uid,
    hotkey: connected?.hotkey ?? neuron.hotkey,
    connected: connected !== undefined,
    lastResponseMs: loop.lastResponseMs(uid) ?? null,
    ...totals,
    volumeByBook,
    volume: volumeByBook.reduce((sum, volume) => sum + volume, 0),
    score: score?.trading ?? null,
    weight: score?.weight ?? null,
    pnlCurve: pnlCurve(loop.ledger.history(uid), totals.realizedPnl),
    recentFills: loop.ledger.recentFills(uid).toReversed(),
  };
}
