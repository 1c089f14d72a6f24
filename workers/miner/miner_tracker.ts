/**
 * What the miner console shows, followed from the state updates the agent
 * receives (live from the validator, or from the offline market): balances
 * against the starting ones, open orders, fills, realised PnL on FIFO lots
 * as the validator's ledger computes it (server/scoring/trading_ledger.ts),
 * and the answer latencies. Runs in the agent worker; the page gets
 * `MinerSnapshot`s.
 *
 * @module
 */
import { type ForecastFigures, ForecastTracker } from "@/workers/miner/forecast_tracker.ts";
import { type GenTrxFigures, GenTrxTracker } from "@/workers/miner/gentrx_tracker.ts";
import type { MinerFill } from "@/engine/browser_miner/miner_detail.ts";
import type { StateUpdate } from "@/engine/protocol/state_update.ts";
import { FifoLots } from "@/engine/scoring/fifo_lots.ts";

/** Fills and open orders a snapshot carries at most. */
export const SNAPSHOT_FILLS = 20;
export const SNAPSHOT_ORDERS = 40;

export interface BookFigures {
  bookId: number;
  bestBid: number | null;
  bestAsk: number | null;
  base: number;
  quote: number;
  startBase: number;
  startQuote: number;
}

export interface OpenOrder {
  bookId: number;
  orderId: number;
  side: 0 | 1;
  price: number;
  /** What is left of it. */
  quantity: number;
}

export interface MinerSnapshot {
  /** Steps (simulated seconds) seen, and the simulated time of the last, s. */
  steps: number;
  simulatedSeconds: number;
  books: BookFigures[];
  openOrders: OpenOrder[];
  /** Open orders in all (the list may be cut to SNAPSHOT_ORDERS). */
  openOrderCount: number;
  /** Newest first. */
  fills: MinerFill[];
  fillCount: number;
  realizedPnl: number;
  /** Change of (base × mid + quote) against the start, over all books, quote. */
  equityChange: number | null;
  /** The agent's time to decide the last step, ms. */
  agentMs: number | null;
  /** From state received to the validator's acknowledgement of the answer, ms (live only). */
  answerMs: number | null;
  answers: number;
  /** The validator's (or exchange's) last refusal of one of the agent's instructions. */
  lastRefusal: string | null;
  refusals: number;
  /** The forecast pool, when the run answers it. */
  forecasts: ForecastFigures;
  /** The GenTRX training pool, when the run joined it. */
  gentrx: GenTrxFigures;
}

export class MinerTracker {
  /** The forecast pool's figures (workers/miner/forecast_tracker.ts). */
  readonly forecasts = new ForecastTracker();
  /** The GenTRX training pool's figures (workers/miner/gentrx_tracker.ts). */
  readonly gentrx = new GenTrxTracker();
  readonly #uid: number;
  readonly #lots = new Map<number, FifoLots>();
  /** Orders the exchange accepted, by id: what the account's `o` list names. */
  readonly #orders = new Map<number, OpenOrder>();
  #books: BookFigures[] = [];
  #openIds: { bookId: number; ids: number[] }[] = [];
  readonly #fills: MinerFill[] = [];
  #fillCount = 0;
  #realizedPnl = 0;
  #steps = 0;
  #timestampNs = 0;
  #agentMs: number | null = null;
  #answerMs: number | null = null;
  #answers = 0;
  #lastRefusal: string | null = null;
  #refusals = 0;

  constructor(uid: number) {
    this.#uid = uid;
  }

  /** Follows one state update (before the agent answers it). */
  observe(state: StateUpdate): void {
    this.#steps++;
    this.#timestampNs = state.timestamp;
    for (const notice of state.notices) {
      switch (notice.y) {
        case "RDPOL":
          if (notice.o !== null && notice.p !== undefined) {
            this.#orders.set(notice.o, {
              bookId: notice.b,
              orderId: notice.o,
              side: notice.s,
              price: notice.p,
              quantity: notice.q,
            });
          }
          break;
        case "ERDPOL":
        case "ERDPOM":
        case "EVAL":
          this.#refusals++;
          this.#lastRefusal = notice.m;
          break;
        case "ET":
          this.#trade(notice);
          break;
        case "RDRA":
          this.#lots.clear();
          this.#orders.clear();
          break;
      }
    }
    this.#books = state.books.map((book) => {
      const account = state.accounts[book.i];
      return {
        bookId: book.i,
        bestBid: book.b[0]?.p ?? null,
        bestAsk: book.a[0]?.p ?? null,
        base: account?.bb.t ?? 0,
        quote: account?.qb.t ?? 0,
        startBase: account?.bb.i ?? 0,
        startQuote: account?.qb.i ?? 0,
      };
    });
    this.#openIds = Object.values(state.accounts).map((account) => ({
      bookId: account.b,
      ids: account.o,
    }));
    const open = new Set(this.#openIds.flatMap(({ ids }) => ids));
    for (const id of this.#orders.keys()) if (!open.has(id)) this.#orders.delete(id);
  }

  /** The agent answered the last state in `agentMs`; `answerMs` once acknowledged. */
  answered(agentMs: number): void {
    this.#agentMs = agentMs;
    this.#answers++;
  }

  acknowledged(answerMs: number): void {
    this.#answerMs = answerMs;
  }

  /** A refusal outside the notices (e.g. a frame the gateway refused). */
  refused(message: string): void {
    this.#refusals++;
    this.#lastRefusal = message;
  }

  snapshot(): MinerSnapshot {
    const openOrders: OpenOrder[] = [];
    let openOrderCount = 0;
    for (const { bookId, ids } of this.#openIds) {
      for (const orderId of ids) {
        openOrderCount++;
        if (openOrders.length >= SNAPSHOT_ORDERS) continue;
        const known = this.#orders.get(orderId);
        openOrders.push(
          known ?? { bookId, orderId, side: 0, price: Number.NaN, quantity: Number.NaN },
        );
      }
    }
    let equityChange: number | null = 0;
    for (const book of this.#books) {
      if (book.bestBid === null || book.bestAsk === null) {
        equityChange = null;
        break;
      }
      const mid = (book.bestBid + book.bestAsk) / 2;
      equityChange += (book.base - book.startBase) * mid + book.quote - book.startQuote;
    }
    return {
      steps: this.#steps,
      simulatedSeconds: this.#timestampNs / 1e9,
      books: this.#books,
      openOrders,
      openOrderCount,
      fills: this.#fills.toReversed(),
      fillCount: this.#fillCount,
      realizedPnl: this.#realizedPnl,
      equityChange,
      agentMs: this.#agentMs,
      answerMs: this.#answerMs,
      answers: this.#answers,
      lastRefusal: this.#lastRefusal,
      refusals: this.#refusals,
      forecasts: this.forecasts.figures(),
      gentrx: this.gentrx.figures(),
    };
  }

  #trade(notice: Extract<StateUpdate["notices"][number], { y: "ET" }>): void {
    // A self-trade fills both sides, as in the validator's ledger.
    const sides: [0 | 1, number, MinerFill["role"]][] = [];
    if (notice.Ta === this.#uid) sides.push([notice.s, notice.Tf, "taker"]);
    if (notice.Ma === this.#uid) {
      sides.push([notice.s === 0 ? 1 : 0, notice.Mf, "maker"]);
      const order = this.#orders.get(notice.Mi);
      if (order) order.quantity = Math.max(0, order.quantity - notice.q);
    }
    for (const [side, fee, role] of sides) {
      const lots = this.#lots.get(notice.b) ?? new FifoLots();
      this.#lots.set(notice.b, lots);
      const { realizedPnl } = lots.apply({ side, price: notice.p, quantity: notice.q, fee });
      this.#realizedPnl += realizedPnl;
      this.#fillCount++;
      this.#fills.push({
        timestampNs: notice.t,
        bookId: notice.b,
        side,
        role,
        price: notice.p,
        quantity: notice.q,
        fee,
        realizedPnl,
      });
      if (this.#fills.length > SNAPSHOT_FILLS) this.#fills.shift();
    }
  }
}
