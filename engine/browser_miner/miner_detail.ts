/**
 * One miner as its public page shows it (GET /api/miners/:uid,
 * routes/miners/[uid].tsx): figures, a realised-PnL curve and its latest
 * fills. Browser-safe: the server builds it (server/miner_detail.ts) and the
 * page's island reads it.
 *
 * @module
 */

/** One of the miner's fills; price and quantity in decimal units, fee and PnL in quote. */
export interface MinerFill {
  /** Simulated time, ns. */
  timestampNs: number;
  bookId: number;
  /** The miner's side: 0 bought, 1 sold. */
  side: 0 | 1;
  role: "maker" | "taker";
  price: number;
  quantity: number;
  fee: number;
  realizedPnl: number;
}

/** A point of the PnL curve: simulated seconds, cumulative realised PnL in quote. */
export interface PnlPoint {
  time: number;
  pnl: number;
}

export interface MinerDetail {
  uid: number;
  hotkey: string | null;
  connected: boolean;
  /** Response time to the last state it answered, wall ms. */
  lastResponseMs: number | null;
  fills: number;
  realizedPnl: number;
  /** Quote volume over the rolling 24 simulated hours, per book and in total. */
  volumeByBook: number[];
  volume: number;
  /** Trading score and weight at the last scoring; null before it. */
  score: number | null;
  weight: number | null;
  /** Cumulative realised PnL over the ledger's history window (τaos 3 h), oldest first. */
  pnlCurve: PnlPoint[];
  /** The latest fills, newest first. */
  recentFills: MinerFill[];
}

/** Points the curve is thinned to, so a 3-hour window stays a small response. */
export const PNL_CURVE_POINTS = 600;

/** Below this, in quote, a difference of float sums is rounding, not PnL. */
const PNL_DUST = 1e-9;

/** One step of realised PnL per book, as the trading ledger keeps it. */
export interface PnlStep {
  timestampNs: number;
  pnlByBook: ReadonlyMap<number, number>;
}

/**
 * The cumulative realised-PnL curve of `history` (one entry per step,
 * oldest first), ending at `realizedTotal`: the history window may have
 * dropped older steps, whose PnL becomes the curve's starting level. Thinned
 * to at most `maxPoints` by keeping every k-th step and always the last.
 *
 * @example
 * ```ts
 * const steps = [{ timestampNs: 1e9, pnlByBook: new Map([[0, 2]]) }];
 * pnlCurve(steps, 5); // [{ time: 1, pnl: 5 }] — 3 came from steps before the window
 * ```
 */
export function pnlCurve(
  history: readonly PnlStep[],
  realizedTotal: number,
  maxPoints = PNL_CURVE_POINTS,
): PnlPoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`Invalid maxPoints ${maxPoints}: must be an integer ≥ 2`);
  }
  let windowPnl = 0;
  for (const step of history) for (const pnl of step.pnlByBook.values()) windowPnl += pnl;
  // What steps before the window realised; rounding leaves dust when none did.
  const before = realizedTotal - windowPnl;
  let cumulative = Math.abs(before) < PNL_DUST ? 0 : before;
  const every = Math.ceil(history.length / maxPoints);
  const points: PnlPoint[] = [];
  history.forEach((step, index) => {
    for (const pnl of step.pnlByBook.values()) cumulative += pnl;
    if ((history.length - 1 - index) % every === 0) {
      points.push({ time: step.timestampNs / 1e9, pnl: cumulative });
    }
  });
  return points;
}
