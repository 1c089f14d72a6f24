/**
 * A seeded random background trader: the placeholder population that keeps a
 * book alive until the native agents of τaos §2.5 arrive.
 *
 * Each step it drifts a private reference price by a random walk, places a
 * few limit orders around it (some marketable, so trades happen) and cancels
 * its oldest or stalest orders to keep its footprint bounded. Every choice
 * comes from one seeded generator, so a seed and the book's events fully
 * determine what it does.
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import {
  type BookEvent,
  type Depth,
  type Instruction,
  Side,
  toWire,
} from "@/engine/book_records.ts";

export interface NoiseTraderOptions {
  agentId: number;
  bookId: number;
  /** The book's grids: instructions are sent in wire units. */
  priceDecimals: number;
  volumeDecimals: number;
  seed: number;
  /** Where the reference price starts. */
  startPriceTicks: number;
  /** Largest reference move per step, in ticks. */
  maxDriftTicks?: number;
  /** How far from the reference passive orders are placed, in ticks. */
  maxOffsetTicks?: number;
  /** Smallest order, in lots (the book's minimum order size). */
  minQuantityLots?: number;
  /** Largest order, in lots. */
  maxQuantityLots?: number;
  /** Orders resting beyond this count are cancelled, oldest first. */
  maxRestingOrders?: number;
  /** Percent of orders that cross the spread. */
  marketablePercent?: number;
}

interface RestingOrder {
  priceTicks: number;
  quantityLots: number;
}

export class NoiseTrader {
  readonly agentId: number;
  readonly bookId: number;
  readonly #priceDecimals: number;
  readonly #volumeDecimals: number;
  #referenceTicks: number;
  readonly #random;
  readonly #maxDriftTicks: number;
  readonly #maxOffsetTicks: number;
  readonly #minQuantityLots: number;
  readonly #maxQuantityLots: number;
  readonly #maxRestingOrders: number;
  readonly #marketablePercent: number;
  /** Resting orders by id, in placement order (Map keeps insertion order). */
  readonly #resting = new Map<number, RestingOrder>();

  constructor(options: NoiseTraderOptions) {
    this.agentId = options.agentId;
    this.bookId = options.bookId;
    this.#priceDecimals = options.priceDecimals;
    this.#volumeDecimals = options.volumeDecimals;
    this.#referenceTicks = options.startPriceTicks;
    this.#random = xoroshiro128plus(options.seed);
    this.#maxDriftTicks = options.maxDriftTicks ?? 2;
    this.#maxOffsetTicks = options.maxOffsetTicks ?? 12;
    this.#minQuantityLots = options.minQuantityLots ?? 1;
    this.#maxQuantityLots = options.maxQuantityLots ?? 20;
    this.#maxRestingOrders = options.maxRestingOrders ?? 24;
    this.#marketablePercent = options.marketablePercent ?? 20;
  }

  /** The orders this trader has resting, as it knows them from events. */
  get restingOrderCount(): number {
    return this.#resting.size;
  }

  /** Decides this step's instructions from the current top of the book. */
  decide(depth: Depth): Instruction[] {
    const drift = this.#int(-this.#maxDriftTicks, this.#maxDriftTicks);
    this.#referenceTicks = Math.max(this.#maxOffsetTicks + 1, this.#referenceTicks + drift);
    const instructions: Instruction[] = [];
    for (const orderId of this.#ordersToCancel()) {
      instructions.push({ kind: "cancel", agentId: this.agentId, bookId: this.bookId, orderId });
    }
    const orderCount = this.#int(1, 3);
    for (let i = 0; i < orderCount; i++) instructions.push(this.#limitOrder(depth));
    return instructions;
  }

  /** Updates what this trader knows of its own orders. */
  observe(events: readonly BookEvent[]): void {
    for (const event of events) {
      if (event.bookId !== this.bookId) continue;
      if (
        event.kind === "placed" && event.agentId === this.agentId && event.quantityLots > 0 &&
        event.priceTicks !== null
      ) {
        this.#resting.set(event.orderId, {
          priceTicks: event.priceTicks,
          quantityLots: event.quantityLots,
        });
      } else if (event.kind === "trade" && event.makerAgentId === this.agentId) {
        this.#reduce(event.makerOrderId, event.quantityLots);
      } else if (event.kind === "cancelled" && event.agentId === this.agentId) {
        this.#reduce(event.orderId, event.quantityLots);
      }
    }
  }

  #limitOrder(depth: Depth): Instruction {
    const side = this.#int(0, 1) === 0 ? Side.Buy : Side.Sell;
    const marketable = this.#int(1, 100) <= this.#marketablePercent;
    const touch = side === Side.Buy ? depth.asks[0]?.priceTicks : depth.bids[0]?.priceTicks;
    const sign = side === Side.Buy ? 1 : -1;
    const priceTicks = marketable && touch !== undefined
      ? touch + sign * this.#int(0, 2)
      : this.#referenceTicks - sign * this.#int(1, this.#maxOffsetTicks);
    return {
      kind: "limit",
      agentId: this.agentId,
      bookId: this.bookId,
      side,
      price: toWire(Math.max(1, priceTicks), this.#priceDecimals),
      quantity: toWire(
        this.#int(this.#minQuantityLots, this.#maxQuantityLots),
        this.#volumeDecimals,
      ),
    };
  }

  /** Oldest orders beyond the cap, then any left far from the reference. */
  #ordersToCancel(): number[] {
    const excess = this.#resting.size - this.#maxRestingOrders;
    const ids: number[] = [];
    for (const [orderId, order] of this.#resting) {
      const stale = Math.abs(order.priceTicks - this.#referenceTicks) > 2 * this.#maxOffsetTicks;
      if (ids.length < excess || stale) ids.push(orderId);
    }
    return ids;
  }

  #reduce(orderId: number, quantityLots: number): void {
    const order = this.#resting.get(orderId);
    if (order === undefined) return;
    order.quantityLots -= quantityLots;
    if (order.quantityLots <= 0) this.#resting.delete(orderId);
  }

  #int(from: number, to: number): number {
    return uniformInt(this.#random, from, to);
  }
}
