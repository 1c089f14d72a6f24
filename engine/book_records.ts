/**
 * The exchange vocabulary shared by every simulator backend, the server and
 * the browser: book configs and instructions in, L3 events, notices, depth
 * and accounts out (shared/reference/taos.md §2.2–2.3, §3.3–3.6).
 *
 * Numeric codes match native/exchange/records.h and reject_code.h exactly,
 * because everything crosses the C ABI as fixed-layout records.
 *
 * Units:
 * - instruction prices and quantities are fixed-point integers with
 *   `WIRE_DECIMALS` (8) decimals, so an off-grid value can be sent and is
 *   rejected (τaos PRICE_INCREMENT_VIOLATED / VOLUME_INCREMENT_VIOLATED);
 *   `toWire` converts ticks or lots;
 * - everything the engine reports is in the book's ticks (10^-priceDecimals
 *   quote) and lots (10^-volumeDecimals base);
 * - quote balances, fees and volumes are quote units of
 *   10^-(priceDecimals + volumeDecimals), so ticks × lots is exact;
 * - rates are parts per billion (`RATE_SCALE`), leverage hundredths.
 *
 * @module
 */

/** Decimals of instruction prices and quantities. */
export const WIRE_DECIMALS = 8;
/** Rates (fees, margins, the maker-taker ratio) are integers of 10^-9. */
export const RATE_SCALE = 1_000_000_000;
/** Leverage is in hundredths: 400 means 4×. */
export const LEVERAGE_SCALE = 100;

/** Order side; the values are the wire values of τaos (0 buy / 1 sell). */
export const Side = { Buy: 0, Sell: 1 } as const;
export type Side = typeof Side[keyof typeof Side];

/** τaos timeInForce wire values (§3.6). */
export const TimeInForce = { GTC: 0, GTT: 1, IOC: 2, FOK: 3 } as const;
export type TimeInForce = typeof TimeInForce[keyof typeof TimeInForce];

/** τaos stpFlag wire values (§3.6). */
export const SelfTradePrevention = {
  None: 0,
  CancelOldest: 1,
  CancelNewest: 2,
  CancelBoth: 3,
  DecreaseAndCancel: 4,
} as const;
export type SelfTradePrevention = typeof SelfTradePrevention[keyof typeof SelfTradePrevention];

/** Converts ticks (or lots) at `decimals` to wire units: toWire(30012, 2) = 30012000000. */
export function toWire(units: number, decimals: number): number {
  return units * 10 ** (WIRE_DECIMALS - decimals);
}

interface InstructionBase {
  agentId: number;
  bookId: number;
  /** Time from submission to arrival at the exchange (latency), ns ≥ 0. */
  delayNs?: number;
  clientOrderId?: number;
}

/** τaos PLACE_ORDER_LIMIT. */
export interface LimitInstruction extends InstructionBase {
  kind: "limit";
  side: Side;
  /** Wire units (8 decimals). */
  price: number;
  /** Wire units of base (8 decimals). */
  quantity: number;
  timeInForce?: TimeInForce;
  /** GTT only: lifetime after arrival, ns. */
  expiryNs?: number;
  postOnly?: boolean;
  stp?: SelfTradePrevention;
  /** Hundredths; 0 = unleveraged. */
  leverage?: number;
}

/** τaos PLACE_ORDER_MARKET. */
export interface MarketInstruction extends InstructionBase {
  kind: "market";
  side: Side;
  /** Wire units of base, or of quote when `quantityInQuote`. */
  quantity: number;
  quantityInQuote?: boolean;
  /** Worst price relative to the touch on arrival, basis points; 0 = unbounded. */
  maxSlippageBps?: number;
  stp?: SelfTradePrevention;
}

/** τaos CANCEL_ORDERS entry: `quantity` wire units to cancel, 0 or omitted = all. */
export interface CancelInstruction extends InstructionBase {
  kind: "cancel";
  orderId: number;
  quantity?: number;
}

/** τaos CLOSE_POSITIONS entry: repays the whole loan of leveraged order `orderId`. */
export interface ClosePositionInstruction extends InstructionBase {
  kind: "closePosition";
  orderId: number;
}

export type Instruction =
  | LimitInstruction
  | MarketInstruction
  | CancelInstruction
  | ClosePositionInstruction;

/** Why the exchange refused an instruction (τaos OrderErrorCode, §2.2, then ours). */
export const RejectCode = {
  None: 0,
  NonexistentAccount: 1,
  InsufficientBase: 2,
  InsufficientQuote: 3,
  EmptyBook: 4,
  PriceIncrementViolated: 5,
  VolumeIncrementViolated: 6,
  ExceedingLoan: 7,
  ContractViolation: 8,
  InvalidLeverage: 9,
  InvalidVolume: 10,
  InvalidPrice: 11,
  ExceedingMaxOrders: 12,
  DualPosition: 13,
  MinimumOrderSizeViolation: 14,
  UnknownBook: 15,
  InvalidInstruction: 16,
  InvalidSide: 17,
  PostOnlyWouldCross: 18,
  UnknownOrder: 19,
  NotOrderOwner: 20,
  InvalidDelay: 21,
  FillOrKillUnfillable: 22,
  NoPosition: 23,
} as const;
export type RejectCode = typeof RejectCode[keyof typeof RejectCode];

/** Why quantity left the book without trading. */
export const CancelReason = {
  Requested: 0,
  Expired: 1,
  UnfilledRemainder: 2,
  SelfTrade: 3,
  Liquidation: 4,
} as const;
export type CancelReason = typeof CancelReason[keyof typeof CancelReason];

/** An accepted order; `quantityLots` is what rests after immediate fills (τaos L3 "o"). */
export interface OrderPlacedEvent {
  kind: "placed";
  bookId: number;
  timeNs: number;
  orderId: number;
  agentId: number;
  clientOrderId: number;
  side: Side;
  /** Null for a market order. */
  priceTicks: number | null;
  quantityLots: number;
}

/** A fill at the maker's price; `side` is the aggressor's. Fees in quote units. */
export interface TradeEvent {
  kind: "trade";
  bookId: number;
  timeNs: number;
  side: Side;
  takerOrderId: number;
  takerAgentId: number;
  /** The taker's in L3 events, the recipient's own in a trade notice. */
  clientOrderId: number;
  makerOrderId: number;
  makerAgentId: number;
  priceTicks: number;
  quantityLots: number;
  takerFee: number;
  makerFee: number;
}

/** Quantity removed from an order without trading. */
export interface CancelledEvent {
  kind: "cancelled";
  bookId: number;
  timeNs: number;
  orderId: number;
  agentId: number;
  clientOrderId: number;
  side: Side;
  /** Null for a market order's remainder. */
  priceTicks: number | null;
  quantityLots: number;
  reason: CancelReason;
}

/** An L3 event: every agent's activity on a book. */
export type BookEvent = OrderPlacedEvent | TradeEvent | CancelledEvent;

/** An instruction the exchange refused, echoing its wire price and quantity. */
export interface RejectedNotice {
  kind: "rejected";
  bookId: number;
  timeNs: number;
  code: RejectCode;
  message: string;
  agentId: number;
  orderId: number;
  clientOrderId: number;
  side: number;
  price: number;
  quantity: number;
}

/** An order accepted; `quantityLots` is its original size (0 when sized in quote). */
export interface AcceptedNotice extends Omit<OrderPlacedEvent, "kind"> {
  kind: "accepted";
}

/** A loan closed, on request or by a margin call; amounts in its currency. */
export interface PositionClosedNotice {
  kind: "positionClosed";
  bookId: number;
  timeNs: number;
  orderId: number;
  agentId: number;
  /** The loan's side: buy = long (quote borrowed), sell = short (base). */
  side: Side;
  reason: CancelReason;
  /** Lots traded back. */
  quantityLots: number;
  loan: number;
  repaid: number;
}

/** Something that happened to one agent (τaos §3.5), addressed to `recipientAgentId`. */
export type Notice =
  & { recipientAgentId: number }
  & (AcceptedNotice | RejectedNotice | CancelledEvent | TradeEvent | PositionClosedNotice);

/** An order in the detailed levels of a depth snapshot. */
export interface DepthOrder {
  orderId: number;
  agentId: number;
  clientOrderId: number;
  quantityLots: number;
}

/** One aggregated price level; `orders` only in the detailed levels. */
export interface DepthLevel {
  priceTicks: number;
  quantityLots: number;
  orders?: DepthOrder[];
}

/** The top of a book, best level first on each side (τaos §3.3: 21 levels, 5 detailed). */
export interface Depth {
  bids: DepthLevel[];
  asks: DepthLevel[];
}

export interface DepthSnapshot extends Depth {
  bookId: number;
  timeNs: number;
}

/** τaos §2.3 fee policies; rates in ppb (RATE_SCALE), negative = rebate. */
export type FeePolicy =
  | { type: "static"; makerRate: number; takerRate: number }
  | {
    type: "tiered";
    /** Rates below the first tier. */
    makerRate: number;
    takerRate: number;
    /** Up to 4, by increasing quote-unit volume traded by the account. */
    tiers: { volumeRequired: number; makerRate: number; takerRate: number }[];
  }
  | {
    type: "dynamic";
    makerRate: number;
    takerRate: number;
    maxMakerRate: number;
    maxTakerRate: number;
    targetMtr: number;
    historySlots: number;
  };

/** One book's rules (τaos §2.2). */
export interface BookConfig {
  priceDecimals: number;
  volumeDecimals: number;
  /** Smallest order; the bound is max(this, 1 lot). */
  minOrderLots: number;
  /** Per agent; 0 = unlimited. */
  maxOpenOrders: number;
  fees: FeePolicy;
  /** Hundredths; 0 = no leverage. */
  maxLeverage: number;
  /** Quote units per account. */
  maxLoan: number;
  /** ppb. */
  maintenanceMargin: number;
}

/**
 * τaos's defaults (simulation_0.xml, §2.2–2.3): 2 price and 4 volume
 * decimals, minimum order 0.25, 100 open orders, dynamic fees (takerFee
 * 0.00023, max rates 0.015, target MTR 0.4, 300 slots), leverage up to 4,
 * loans up to 10 000 quote, maintenance margin 0.10.
 */
export const TAOS_BOOK_CONFIG: BookConfig = {
  priceDecimals: 2,
  volumeDecimals: 4,
  minOrderLots: 2_500,
  maxOpenOrders: 100,
  fees: {
    type: "dynamic",
    makerRate: 0,
    takerRate: 230_000,
    maxMakerRate: 15_000_000,
    maxTakerRate: 15_000_000,
    targetMtr: 400_000_000,
    historySlots: 300,
  },
  maxLeverage: 400,
  maxLoan: 10_000 * 10 ** 6,
  maintenanceMargin: 100_000_000,
};

/** An agent's account on one book (τaos §3.4); base in lots, quote in quote units. */
export interface Account {
  agentId: number;
  bookId: number;
  baseTotal: number;
  baseFree: number;
  baseReserved: number;
  quoteTotal: number;
  quoteFree: number;
  quoteReserved: number;
  baseLoan: number;
  quoteLoan: number;
  baseCollateral: number;
  quoteCollateral: number;
  /** Net of rebates. */
  feesPaid: number;
  makerVolume: number;
  takerVolume: number;
  /** Current rates for this account, ppb. */
  makerRate: number;
  takerRate: number;
  openOrders: number;
  openLoans: number;
}

/** A book's exchange-side ledger. */
export interface BookLedger {
  /** Fees collected net of rebates, quote units. */
  feeSink: number;
  /** The dynamic policy's maker-taker ratio, ppb. */
  makerTakerRatio: number;
}

const rejectMessages: Record<RejectCode, string> = {
  [RejectCode.None]: "accepted",
  [RejectCode.NonexistentAccount]: "agent has no account on this book",
  [RejectCode.InsufficientBase]: "not enough free base balance",
  [RejectCode.InsufficientQuote]: "not enough free quote balance",
  [RejectCode.EmptyBook]: "the opposite side of the book is empty",
  [RejectCode.PriceIncrementViolated]: "price is not a multiple of the book's price increment",
  [RejectCode.VolumeIncrementViolated]: "quantity is not a multiple of the book's volume increment",
  [RejectCode.ExceedingLoan]: "the loan would exceed the book's maximum loan",
  [RejectCode.ContractViolation]: "order fields contradict each other",
  [RejectCode.InvalidLeverage]: "leverage is negative or above the book's maximum",
  [RejectCode.InvalidVolume]: "quantity must be positive",
  [RejectCode.InvalidPrice]: "price must be positive",
  [RejectCode.ExceedingMaxOrders]:
    "agent already has the maximum number of open orders on this book",
  [RejectCode.DualPosition]: "a leveraged position cannot be held on both sides",
  [RejectCode.MinimumOrderSizeViolation]: "quantity is below the book's minimum order size",
  [RejectCode.UnknownBook]: "book does not exist",
  [RejectCode.InvalidInstruction]: "unknown instruction kind",
  [RejectCode.InvalidSide]: "side must be 0 (buy) or 1 (sell)",
  [RejectCode.PostOnlyWouldCross]: "order would cross the book but is post-only",
  [RejectCode.UnknownOrder]: "order is not resting on this book",
  [RejectCode.NotOrderOwner]: "order belongs to another agent",
  [RejectCode.InvalidDelay]: "delay must be a non-negative number of nanoseconds",
  [RejectCode.FillOrKillUnfillable]: "fill-or-kill order cannot be filled in full",
  [RejectCode.NoPosition]: "order has no open position to close",
};

/** The human-readable reason for a rejection code (native mf_reject_message). */
export function rejectMessage(code: number): string {
  return rejectMessages[code as RejectCode] ?? "unknown reject code";
}
