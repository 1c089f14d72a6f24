/**
 * Helpers an agent uses to build its response (τaos's market_order,
 * limit_order, cancel_order(s), close_position(s)), producing the wire
 * instructions of engine/protocol/agent_response.ts.
 *
 * @module
 */
import { Stp, TimeInForce } from "@/engine/protocol/agent_response.ts";

export interface LimitOrder {
  bookId: number;
  side: 0 | 1;
  price: number;
  volume: number;
  timeInForce?: TimeInForce;
  /** GTT lifetime, ns. */
  expiryNs?: number;
  postOnly?: boolean;
  stp?: Stp;
  clientOrderId?: number;
  leverage?: number;
  /** Extra delay before the order reaches the exchange, ns. */
  delayNs?: number;
}

export interface MarketOrder {
  bookId: number;
  side: 0 | 1;
  volume: number;
  /** Size `volume` in quote instead of base. */
  inQuote?: boolean;
  /** Largest move from the touch, as a fraction (0.01 = 1%). */
  maxSlippage?: number;
  stp?: Stp;
  clientOrderId?: number;
  leverage?: number;
  delayNs?: number;
}

/** A wire instruction, τaos names (see agent_response.ts). */
export type WireInstruction = Record<string, unknown>;

export class OrderBuilder {
  readonly #uid: number;
  readonly #instructions: WireInstruction[] = [];

  constructor(uid: number) {
    this.#uid = uid;
  }

  limit(order: LimitOrder): this {
    const timeInForce = order.timeInForce ??
      (order.expiryNs === undefined ? TimeInForce.Gtc : TimeInForce.Gtt);
    return this.#push({
      type: "PLACE_ORDER_LIMIT",
      bookId: order.bookId,
      direction: order.side,
      price: order.price,
      volume: order.volume,
      timeInForce,
      expiryPeriod: order.expiryNs,
      postOnly: order.postOnly ?? false,
      stpFlag: order.stp ?? Stp.CancelOldest,
      clientOrderId: order.clientOrderId,
      leverage: order.leverage ?? 0,
      delay: order.delayNs ?? 0,
    });
  }

  market(order: MarketOrder): this {
    return this.#push({
      type: "PLACE_ORDER_MARKET",
      bookId: order.bookId,
      direction: order.side,
      volume: order.volume,
      currency: order.inQuote ? 1 : 0,
      max_slippage: order.maxSlippage ?? 0,
      stpFlag: order.stp ?? Stp.CancelOldest,
      clientOrderId: order.clientOrderId,
      leverage: order.leverage ?? 0,
      delay: order.delayNs ?? 0,
    });
  }

  /** Cancels whole orders, or `volume` of each when given. */
  cancel(bookId: number, orderIds: readonly number[], volume?: number): this {
    if (orderIds.length === 0) return this;
    return this.#push({
      type: "CANCEL_ORDERS",
      bookId,
      cancellations: orderIds.map((orderId) => ({ orderId, volume })),
    });
  }

  /** Closes leveraged positions opened by these orders. */
  close(bookId: number, orderIds: readonly number[]): this {
    if (orderIds.length === 0) return this;
    return this.#push({
      type: "CLOSE_POSITIONS",
      bookId,
      closes: orderIds.map((orderId) => ({ orderId })),
    });
  }

  /** Instructions added so far. */
  get count(): number {
    return this.#instructions.length;
  }

  /** The response to send: `{ agent_id, instructions }`. */
  build(): { agent_id: number; instructions: WireInstruction[] } {
    return { agent_id: this.#uid, instructions: [...this.#instructions] };
  }

  #push(instruction: WireInstruction): this {
    const defined = Object.fromEntries(
      Object.entries(instruction).filter(([, value]) => value !== undefined),
    );
    this.#instructions.push({ agentId: this.#uid, ...defined });
    return this;
  }
}
