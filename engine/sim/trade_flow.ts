/**
 * Trade flow for the stylized facts: per book, the sign of each taker order
 * (the fills of one order count once, as Lillo & Farmer (2004) count market
 * orders, not fills) and the lots traded in each simulated second. Built
 * from L3 trade events, whether they stream from a run's l3.bin.gz
 * (server/sim/run_files.ts) or straight from a live simulation.
 *
 * @module
 */
import type { TradeEvent } from "@/engine/book_records.ts";

const NS_PER_SECOND = 1_000_000_000;

export interface TradeFlow {
  /**
   * Per book, one sign per taker order in time order: +1 a buy taker, −1 a
   * sell taker. The fills of one order count once, as Lillo & Farmer (2004)
   * count market orders, not fills.
   */
  orderSigns: Int8Array[];
  /** Per book, lots traded in each simulated second, aligned with the mids (index s = row s). */
  volumeLots: Float64Array[];
  trades: number;
  takerOrders: number;
}

/** A growable Int8Array. */
class SignBuffer {
  #values = new Int8Array(1_024);
  length = 0;

  push(sign: number): void {
    if (this.length === this.#values.length) {
      const grown = new Int8Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.length++] = sign;
  }

  toArray(): Int8Array {
    return this.#values.slice(0, this.length);
  }
}

/** Accumulates trades in time order into a `TradeFlow`. */
export class TradeFlowBuilder {
  readonly #signs: SignBuffer[];
  readonly #volumeLots: Float64Array[];
  readonly #lastTakerOrder: Float64Array;
  readonly #seconds: number;
  readonly #startNs: number;
  #trades = 0;
  #takerOrders = 0;

  /** `seconds` of volumes per book; a trade at t falls in row ⌊(t − startNs) / 10⁹⌋. */
  constructor(books: number, seconds: number, startNs = 0) {
    this.#signs = Array.from({ length: books }, () => new SignBuffer());
    this.#volumeLots = Array.from({ length: books }, () => new Float64Array(seconds));
    this.#lastTakerOrder = new Float64Array(books).fill(-1);
    this.#seconds = seconds;
    this.#startNs = startNs;
  }

  add(
    trade: Pick<TradeEvent, "bookId" | "takerOrderId" | "side" | "timeNs" | "quantityLots">,
  ): void {
    this.#trades++;
    if (this.#lastTakerOrder[trade.bookId] !== trade.takerOrderId) {
      this.#lastTakerOrder[trade.bookId] = trade.takerOrderId;
      this.#signs[trade.bookId].push(trade.side === 0 ? 1 : -1);
      this.#takerOrders++;
    }
    const second = Math.floor((trade.timeNs - this.#startNs) / NS_PER_SECOND);
    if (second >= 0 && second < this.#seconds) {
      this.#volumeLots[trade.bookId][second] += trade.quantityLots;
    }
  }

  finish(): TradeFlow {
    return {
      orderSigns: this.#signs.map((buffer) => buffer.toArray()),
      volumeLots: this.#volumeLots,
      trades: this.#trades,
      takerOrders: this.#takerOrders,
    };
  }
}
