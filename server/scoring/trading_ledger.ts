/**
 * What scoring needs from the exchange, kept per miner (τaos §4.1): FIFO
 * lots per (uid, book) fed by the miner's trade notices, one realised-PnL
 * observation per publish step, and quote volume per book over a rolling
 * window for the volume cap (§4.6).
 *
 * @module
 */
import type { Notice } from "@/engine/book_records.ts";
import type { MinerFill } from "@/engine/browser_miner/miner_detail.ts";
import { FifoLots, type Lot } from "@/engine/scoring/fifo_lots.ts";
import type { PnlObservation } from "@/engine/scoring/kappa.ts";
import type { Grid } from "@/engine/protocol/state_mapping.ts";

export interface TradingLedgerOptions {
  /** Observations older than this are dropped, ns (τaos lookback 3 h). */
  historyNs: number;
  /** Rolling window of the volume cap, ns (τaos 24 h). */
  volumeWindowNs: number;
}

export const TAOS_LEDGER: TradingLedgerOptions = {
  historyNs: 10_800e9,
  volumeWindowNs: 86_400e9,
};

/** Fills kept per miner for its public page (GET /api/miners/:uid), newest last. */
export const RECENT_FILLS = 100;

/** One of a miner's fills, in the shape its public page reads. */
export type LedgerFill = MinerFill;

interface MinerRecord {
  lots: Map<number, FifoLots>;
  history: PnlObservation[];
  /** Per book: [timestampNs, quote volume] entries within the window. */
  volume: Map<number, [number, number][]>;
  realizedTotal: number;
  fills: number;
  /** The last RECENT_FILLS fills, oldest first. */
  recent: LedgerFill[];
}

/** A miner's record as plain data (maps as entry lists), for a validator checkpoint. */
export interface MinerRecordEntry {
  uid: number;
  lots: [number, Lot[]][];
  history: [number, [number, number][]][];
  volume: [number, [number, number][]][];
  realizedTotal: number;
  fills: number;
  recent: LedgerFill[];
}

export class TradingLedger {
  readonly #grids: readonly Grid[];
  readonly #options: TradingLedgerOptions;
  readonly #miners = new Map<number, MinerRecord>();

  constructor(grids: readonly Grid[], options = TAOS_LEDGER) {
    this.#grids = grids;
    this.#options = options;
  }

  /**
   * Records one step: `uids` are the miners taking part (each gets an
   * observation, empty when it did not trade); `notices` the step's notices.
   */
  record(timestampNs: number, uids: readonly number[], notices: readonly Notice[]): void {
    const pnl = new Map<number, Map<number, number>>(uids.map((uid) => [uid, new Map()]));
    for (const notice of notices) {
      if (notice.kind !== "trade" || !pnl.has(notice.recipientAgentId)) continue;
      const uid = notice.recipientAgentId;
      const miner = this.#miner(uid);
      const grid = this.#grids[notice.bookId];
      const price = notice.priceTicks / 10 ** grid.priceDecimals;
      const quantity = notice.quantityLots / 10 ** grid.volumeDecimals;
      const quoteScale = 10 ** (grid.priceDecimals + grid.volumeDecimals);
      // A self-trade reaches the agent once but fills both sides.
      const sides: [0 | 1, number, LedgerFill["role"]][] = [];
      if (notice.takerAgentId === uid) sides.push([notice.side, notice.takerFee, "taker"]);
      if (notice.makerAgentId === uid) {
        sides.push([notice.side === 0 ? 1 : 0, notice.makerFee, "maker"]);
      }
      for (const [side, fee, role] of sides) {
        const lots = miner.lots.get(notice.bookId) ?? new FifoLots();
        miner.lots.set(notice.bookId, lots);
        const { realizedPnl } = lots.apply({ side, price, quantity, fee: fee / quoteScale });
        const book = pnl.get(uid)!;
        book.set(notice.bookId, (book.get(notice.bookId) ?? 0) + realizedPnl);
        miner.realizedTotal += realizedPnl;
        miner.fills++;
        miner.recent.push({
          timestampNs,
          bookId: notice.bookId,
          side,
          role,
          price,
          quantity,
          fee: fee / quoteScale,
          realizedPnl,
        });
        if (miner.recent.length > RECENT_FILLS) miner.recent.shift();
        const volume = miner.volume.get(notice.bookId) ?? [];
        volume.push([timestampNs, price * quantity]);
        miner.volume.set(notice.bookId, volume);
      }
    }
    for (const [uid, byBook] of pnl) {
      const miner = this.#miner(uid);
      miner.history.push({ timestampNs, pnlByBook: byBook });
      while (
        miner.history.length && miner.history[0].timestampNs < timestampNs - this.#options.historyNs
      ) {
        miner.history.shift();
      }
      for (const entries of miner.volume.values()) {
        while (entries.length && entries[0][0] < timestampNs - this.#options.volumeWindowNs) {
          entries.shift();
        }
      }
    }
  }

  /** PnL observations within the history window, oldest first. */
  history(uid: number): readonly PnlObservation[] {
    return this.#miners.get(uid)?.history ?? [];
  }

  /** Quote volume of `uid` on `bookId` within the rolling window. */
  volume(uid: number, bookId: number): number {
    return (this.#miners.get(uid)?.volume.get(bookId) ?? []).reduce(
      (sum, [, quote]) => sum + quote,
      0,
    );
  }

  /** Realised PnL since the miner's first fill, and its fill count. */
  totals(uid: number): { realizedPnl: number; fills: number } {
    const miner = this.#miners.get(uid);
    return { realizedPnl: miner?.realizedTotal ?? 0, fills: miner?.fills ?? 0 };
  }

  /** The miner's last RECENT_FILLS fills, oldest first. */
  recentFills(uid: number): readonly LedgerFill[] {
    return this.#miners.get(uid)?.recent ?? [];
  }

  /** Every miner's record, for `restore` (server/store/loop_checkpoint.ts). */
  entries(): MinerRecordEntry[] {
    return [...this.#miners].map(([uid, miner]) => ({
      uid,
      lots: [...miner.lots].map(([bookId, fifo]) => [bookId, [...fifo.lots]]),
      history: miner.history.map(({ timestampNs, pnlByBook }) => [timestampNs, [...pnlByBook]]),
      volume: [...miner.volume].map((
        [bookId, entries],
      ) => [bookId, entries.map(([t, q]) => [t, q])]),
      realizedTotal: miner.realizedTotal,
      fills: miner.fills,
      recent: miner.recent.map((fill) => ({ ...fill })),
    }));
  }

  /** Replaces every record with `entries()` of another ledger over the same books. */
  restore(entries: readonly MinerRecordEntry[]): void {
    this.#miners.clear();
    for (const entry of entries) {
      this.#miners.set(entry.uid, {
        lots: new Map(entry.lots.map(([bookId, lots]) => [bookId, FifoLots.from(lots)])),
        history: entry.history.map(([timestampNs, pnl]) => ({
          timestampNs,
          pnlByBook: new Map(pnl),
        })),
        volume: new Map(
          entry.volume.map(([bookId, list]) => [bookId, list.map(([t, q]) => [t, q])]),
        ),
        realizedTotal: entry.realizedTotal,
        fills: entry.fills,
        recent: entry.recent.map((fill) => ({ ...fill })),
      });
    }
  }

  /** Forgets a miner (deregistered or reset). */
  reset(uid: number): void {
    this.#miners.delete(uid);
  }

  #miner(uid: number): MinerRecord {
    let miner = this.#miners.get(uid);
    if (miner === undefined) {
      miner = {
        lots: new Map(),
        history: [],
        volume: new Map(),
        realizedTotal: 0,
        fills: 0,
        recent: [],
      };
      this.#miners.set(uid, miner);
    }
    return miner;
  }
}
