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

export class OpenOrders {
  /** By order id, in placement order. */
  readonly #orders = new Map<number, Resting>();

  /** Follows one step's events, oldest first. */
  observe(events: readonly BookEvent[]): void {
    for (const event of events) {
      if (event.kind === "placed") {
        if (event.quantityLots > 0 && event.priceTicks !== null) {
          this.#orders.set(event.orderId, {
            agentId: event.agentId,
            bookId: event.bookId,
            quantityLots: event.quantityLots,
          });
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
    const ids: number[] = [];
    for (const [orderId, order] of this.#orders) {
      if (order.agentId === agentId && order.bookId === bookId) ids.push(orderId);
    }
    return ids;
  }

  /** Forgets every order of `agentId` (its accounts were reset). */
  forget(agentId: number): void {
    for (const [orderId, order] of this.#orders) {
      if (order.agentId === agentId) this.#orders.delete(orderId);
    }
  }

  #reduce(orderId: number, quantityLots: number): void {
    const order = this.#orders.get(orderId);
    if (order === undefined) return;
    order.quantityLots -= quantityLots;
    if (order.quantityLots <= 0) this.#orders.delete(orderId);
  }
}
