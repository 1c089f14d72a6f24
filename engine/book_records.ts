/**
 * The order-book vocabulary shared by every simulator backend, the server and
 * the browser: commands in, events out, in integer ticks and lots.
 *
 * The numeric values match native/book/records.h exactly, because commands
 * and events cross the C ABI as fixed-layout records.
 *
 * @module
 */

/** Order side; the values are the wire values of τaos (0 buy / 1 sell). */
export const Side = { Buy: 0, Sell: 1 } as const;
export type Side = typeof Side[keyof typeof Side];

/** A limit order: rests whatever it cannot fill at `priceTicks` or better. */
export interface LimitCommand {
  kind: "limit";
  agentId: number;
  side: Side;
  priceTicks: number;
  quantityLots: number;
}

/** Cancels `quantityLots` of a resting order (omit or 0: all of it). */
export interface CancelCommand {
  kind: "cancel";
  agentId: number;
  orderId: number;
  quantityLots?: number;
}

export type Command = LimitCommand | CancelCommand;

/** Why the book refused a command (native `RejectCode`). */
export const RejectCode = {
  None: 0,
  InvalidPrice: 1,
  InvalidVolume: 2,
  InvalidSide: 3,
  InvalidCommand: 4,
  UnknownOrder: 5,
  NotOrderOwner: 6,
} as const;
export type RejectCode = typeof RejectCode[keyof typeof RejectCode];

/**
 * An accepted limit order. `quantityLots` is what rests after immediate
 * fills, as in τaos's L3 order event (original = quantity + its fills).
 */
export interface OrderPlacedEvent {
  kind: "placed";
  orderId: number;
  agentId: number;
  side: Side;
  priceTicks: number;
  quantityLots: number;
}

/** A fill at the maker's price; `side` is the aggressor's side. */
export interface TradeEvent {
  kind: "trade";
  takerOrderId: number;
  takerAgentId: number;
  makerOrderId: number;
  makerAgentId: number;
  side: Side;
  priceTicks: number;
  quantityLots: number;
}

/** Quantity removed from a resting order. */
export interface CancelledEvent {
  kind: "cancelled";
  orderId: number;
  agentId: number;
  side: Side;
  priceTicks: number;
  quantityLots: number;
}

/** A refused command, echoed back with the reason. */
export interface RejectedEvent {
  kind: "rejected";
  code: RejectCode;
  agentId: number;
  orderId: number;
  side: Side;
  priceTicks: number;
  quantityLots: number;
}

export type BookEvent = OrderPlacedEvent | TradeEvent | CancelledEvent | RejectedEvent;

/** One aggregated price level. */
export interface DepthLevel {
  priceTicks: number;
  quantityLots: number;
}

/** The top of a book, best level first on each side. */
export interface Depth {
  bids: DepthLevel[];
  asks: DepthLevel[];
}

const rejectMessages: Record<RejectCode, string> = {
  [RejectCode.None]: "accepted",
  [RejectCode.InvalidPrice]: "price must be a positive number of ticks",
  [RejectCode.InvalidVolume]: "quantity must be a positive number of lots",
  [RejectCode.InvalidSide]: "side must be 0 (buy) or 1 (sell)",
  [RejectCode.InvalidCommand]: "unknown command kind",
  [RejectCode.UnknownOrder]: "order is not resting",
  [RejectCode.NotOrderOwner]: "order belongs to another agent",
};

/** A human-readable reason for a rejection code. */
export function rejectMessage(code: RejectCode): string {
  return rejectMessages[code] ?? `unknown reject code ${code}`;
}
