/**
 * Who has which orders resting, followed from the L3 event stream: an order
 * rests when placed with quantity left, shrinks as it is filled as maker or
 * partly cancelled, and leaves when nothing is left. The validator uses it
 * for τaos's per-account open-order list (taos.md §3.4 `o`).
 *
 * @module
 */
import type { BookEvent } from "@/engine/book_records.ts";

interface Resting {
  agentId: number;
  bookId: number;
  quantityLots: number;
}

/** One resting order as a checkpoint keeps it: [orderId, agentId, bookId, quantityLots]. */
export type RestingEntry = [number, number, number, number];

export class OpenOrders {
  /** By order id. */
  readonly #orders = new Map<number, Resting>();
  /**
   * Order ids by agent, then book, in placement order: `of` reads one
   * agent's list instead of scanning every resting order (the validator asks
   * for every miner's every book each round).
   */
  readonly #byAgent = new Map<number, Map<number, Set<number>>>();

  /** The orders it follows rebuilt from `entries()` (a validator checkpoint). */
  static from(entries: readonly RestingEntry[]): OpenOrders {
    const orders = new OpenOrders();
    for (const [orderId, agentId, bookId, quantityLots] of entries) {
      orders.#place(orderId, agentId, bookId, quantityLots);
    }
    return orders;
  }

  /** Every resting order in placement order, which `from` needs to keep each agent's list in order. */
  entries(): RestingEntry[] {
    return [...this.#orders].map((
      [orderId, { agentId, bookId, quantityLots }],
    ) => [orderId, agentId, bookId, quantityLots]);
  }

  /** Follows one step's events, oldest first. */
  observe(events: readonly BookEvent[]): void {
    for (const event of events) {
      if (event.kind === "placed") {
        if (event.quantityLots > 0 && event.priceTicks !== null) {
          this.#place(event.orderId, event.agentId, event.bookId, event.quantityLots);
        }
      } else if (event.kind === "trade") {
        this.#reduce(event.makerOrderId, event.quantityLots);
      } else {
        this.#reduce(event.orderId, event.quantityLots);
      }
    }
  }

  /** Resting order ids of `agentId` on `bookId`, oldest first. */
  of(agentId: number, bookId: number): number[] {
    const ids = this.#byAgent.get(agentId)?.get(bookId);
    return ids === undefined ? [] : [...ids];
  }

  /** Forgets every order of `agentId` (its accounts were reset). */
  forget(agentId: number): void {
    for (const ids of this.#byAgent.get(agentId)?.values() ?? []) {
      for (const orderId of ids) this.#orders.delete(orderId);
    }
    this.#byAgent.delete(agentId);
  }

  #place(orderId: number, agentId: number, bookId: number, quantityLots: number): void {
    const known = this.#orders.get(orderId);
    if (known !== undefined) {
      // Engine order ids are unique; a repeat replaces the order where it stood.
      if (known.agentId === agentId && known.bookId === bookId) {
        known.quantityLots = quantityLots;
        return;
      }
      this.#remove(orderId, known);
    }
    this.#orders.set(orderId, { agentId, bookId, quantityLots });
    let books = this.#byAgent.get(agentId);
    if (books === undefined) this.#byAgent.set(agentId, books = new Map());
    let ids = books.get(bookId);
    if (ids === undefined) books.set(bookId, ids = new Set());
    ids.add(orderId);
  }

  #reduce(orderId: number, quantityLots: number): void {
    const order = this.#orders.get(orderId);
    if (order === undefined) return;
    order.quantityLots -= quantityLots;
    if (order.quantityLots <= 0) this.#remove(orderId, order);
  }

  #remove(orderId: number, order: Resting): void {
    this.#orders.delete(orderId);
    const books = this.#byAgent.get(order.agentId);
    const ids = books?.get(order.bookId);
    if (books === undefined || ids === undefined) return;
    ids.delete(orderId);
    if (ids.size === 0) books.delete(order.bookId);
    if (books.size === 0) this.#byAgent.delete(order.agentId);
  }
}
