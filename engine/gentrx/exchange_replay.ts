/**
 * Closes GenTRX's generation loop through the exchange (taos.md §6.1: τaos
 * replays generated orders through a matching engine): every generated order
 * is submitted to a real `Engine` — the native core through FFI in Deno, or
 * its WebAssembly build in a browser worker — and the book it leaves is the
 * book the next order is generated against. The engine's L3 events are then
 * a replayable book of the generated market.
 *
 * @module
 */
import {
  type BookConfig,
  type BookEvent,
  type Depth,
  type Instruction,
  Side,
  TAOS_BOOK_CONFIG,
  toWire,
} from "@/engine/book_records.ts";
import type { BookAfterOrder } from "@/engine/gentrx/generate.ts";
import { type OrderFlowOrder, OrderType } from "@/engine/gentrx/order_flow.ts";
import { OpenOrders } from "@/engine/open_orders.ts";
import type { Engine, Simulator } from "@/engine/simulator.ts";

/** The generated flow's own agent, and the one that seeds the starting book. */
const GENERATOR_AGENT = -1_000;
const SEED_AGENT = -1_001;
/** Balances far beyond anything a generated run trades. */
const FUNDS_LOTS = 10 ** 12;
const FUNDS_QUOTE = 10 ** 15;
/** Levels per side the tokenizer's conditioning reads. */
const BOOK_LEVELS = 10;

/**
 * τaos's grids with no minimum size, no open-order limit and no fees: the
 * generated flow is a whole market, not one fee-paying agent, so only the
 * matching rules should shape it.
 */
export const REPLAY_BOOK_CONFIG: BookConfig = {
  ...TAOS_BOOK_CONFIG,
  minOrderLots: 1,
  maxOpenOrders: 0,
  fees: { type: "static", makerRate: 0, takerRate: 0 },
};

export class ExchangeReplay {
  readonly #engine: Engine;
  readonly #config: BookConfig;
  readonly #events: BookEvent[] = [];
  /** Which generated orders still rest, and at what price (for generated cancels). */
  readonly #open = new OpenOrders();
  readonly #priceOf = new Map<number, number>();

  /** A one-book engine of `simulator` holding `initialBook` as resting orders. */
  constructor(simulator: Simulator, initialBook: Depth, config: BookConfig = REPLAY_BOOK_CONFIG) {
    this.#config = config;
    this.#engine = simulator.createEngine([config]);
    for (const agent of [GENERATOR_AGENT, SEED_AGENT]) {
      this.#engine.deposit(agent, 0, FUNDS_LOTS, FUNDS_QUOTE);
    }
    this.#engine.submit([
      ...initialBook.bids.map((level) =>
        this.#limit(SEED_AGENT, Side.Buy, level.priceTicks, level.quantityLots)
      ),
      ...initialBook.asks.map((level) =>
        this.#limit(SEED_AGENT, Side.Sell, level.priceTicks, level.quantityLots)
      ),
    ]);
    this.#record(this.#engine.step(this.#engine.nowNs + 1).events);
  }

  /** Use as `generateOrders`' `bookAfter`: applies the order, returns the book it leaves. */
  readonly bookAfter: BookAfterOrder = (order) => {
    const instruction = this.#instruction(order);
    if (instruction) this.#engine.submit([instruction]);
    const untilNs = Math.max(order.timestampNs, this.#engine.nowNs) + 1;
    this.#record(this.#engine.step(untilNs).events);
    const { bids, asks } = this.#engine.depth(0, BOOK_LEVELS, 0);
    return { bids, asks };
  };

  /** The L3 log of the generated market so far (the seeded book first). */
  get events(): readonly BookEvent[] {
    return this.#events;
  }

  /** Throws if an exchange invariant broke (crossed book, unconserved balances). */
  checkInvariants(): void {
    this.#engine.checkInvariants();
  }

  close(): void {
    this.#engine.close();
  }

  #instruction(order: OrderFlowOrder): Instruction | null {
    switch (order.type) {
      case OrderType.Bid:
        return this.#limit(GENERATOR_AGENT, Side.Buy, order.priceTicks, order.quantityLots);
      case OrderType.Ask:
        return this.#limit(GENERATOR_AGENT, Side.Sell, order.priceTicks, order.quantityLots);
      case OrderType.ExecBuy:
      case OrderType.ExecSell:
        return {
          kind: "market",
          agentId: GENERATOR_AGENT,
          bookId: 0,
          side: order.type === OrderType.ExecBuy ? Side.Buy : Side.Sell,
          quantity: toWire(order.quantityLots, this.#config.volumeDecimals),
        };
      case OrderType.Cancel: {
        // The oldest generated order resting at that price, if any.
        const orderId = this.#open.of(GENERATOR_AGENT, 0)
          .find((id) => this.#priceOf.get(id) === order.priceTicks);
        return orderId === undefined ? null : {
          kind: "cancel",
          agentId: GENERATOR_AGENT,
          bookId: 0,
          orderId,
          quantity: toWire(order.quantityLots, this.#config.volumeDecimals),
        };
      }
    }
  }

  #limit(agentId: number, side: Side, priceTicks: number, quantityLots: number): Instruction {
    return {
      kind: "limit",
      agentId,
      bookId: 0,
      side,
      price: toWire(priceTicks, this.#config.priceDecimals),
      quantity: toWire(quantityLots, this.#config.volumeDecimals),
    };
  }

  /** Keeps the log and follows which generated orders rest where. */
  #record(events: readonly BookEvent[]): void {
    this.#events.push(...events);
    this.#open.observe(events);
    for (const event of events) {
      if (
        event.kind === "placed" && event.agentId === GENERATOR_AGENT && event.priceTicks !== null
      ) {
        this.#priceOf.set(event.orderId, event.priceTicks);
      }
    }
  }
}
