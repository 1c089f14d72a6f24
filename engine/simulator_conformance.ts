/**
 * The simulator conformance suite's workloads and recorders, shared by the
 * backends' tests (simulator_conformance_test.ts, simulator_wasm_test.ts).
 * Browser-safe, so the same suite can run in a worker against the
 * WebAssembly backend.
 *
 * Two kinds of seeded random instruction streams:
 * - `referenceStream`: the reference book's subset (reference_book.ts) on one
 *   static-fee book, a quarter of it invalid (off-grid or non-positive
 *   prices and sizes, below-minimum sizes, contradictory flags, unknown
 *   agents, cancels of unknown or foreign orders, negative delays), run
 *   through a backend (`recordEngine`) and the reference
 *   (`recordReference`): the L3 event logs must be identical;
 * - `exchangeStream`: every feature of the exchange on three books (static,
 *   tiered and dynamic fees; GTT, leverage and close-position, quote-sized
 *   and slippage-bounded market orders, unknown books and kinds), for
 *   comparing two backends on everything they publish.
 *
 * @module
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import {
  type Account,
  type BookConfig,
  type BookEvent,
  type BookLedger,
  type DepthSnapshot,
  type Instruction,
  type Notice,
  SelfTradePrevention,
  Side,
  TAOS_BOOK_CONFIG,
  TimeInForce,
  toWire,
} from "@/engine/book_records.ts";
import { ReferenceBook } from "@/engine/reference_book.ts";
import type { Simulator } from "@/engine/simulator.ts";

/** Agents with accounts; AGENT_WITHOUT_ACCOUNT has none, so its orders are rejected. */
export const FUNDED_AGENTS = [1, 2, 3] as const;
const AGENT_WITHOUT_ACCOUNT = 9;
/** Far beyond what any stream trades (≈ 10^4 ticks × 10^2 lots × 10^4 orders), so balances never bite. */
const FUNDED_LOTS = 10 ** 12;
const FUNDED_QUOTE_UNITS = 10 ** 15;
/** Prices wander ± PRICE_SPREAD ticks around MID_TICKS; sizes are 1..MAX_ORDER_LOTS lots. */
const MID_TICKS = 10_000;
const PRICE_SPREAD = 20;
const MAX_ORDER_LOTS = 50;
/** Each batch is submitted, then the clock steps this far. */
const STEP_NS = 1_000;
const DECIMALS = 2;
/** Cancels and closes target one of the last RECENT_ORDERS orders sent, so many still rest. */
const RECENT_ORDERS = 30;

/** The reference's book: 2 price and 2 volume decimals, 0.05% taker fee, 0.01% maker rebate. */
export const REFERENCE_BOOK: BookConfig = {
  priceDecimals: DECIMALS,
  volumeDecimals: DECIMALS,
  minOrderLots: 2,
  maxOpenOrders: 0,
  fees: { type: "static", makerRate: -100_000, takerRate: 500_000 },
  maxLeverage: 0,
  maxLoan: 0,
  maintenanceMargin: 0,
};

/** The same book without fees. */
export const REFERENCE_BOOK_NO_FEES: BookConfig = {
  ...REFERENCE_BOOK,
  fees: { type: "static", makerRate: 0, takerRate: 0 },
};

/** The exchange streams' three books: static, tiered and τaos's dynamic fees, leverage allowed. */
export const EXCHANGE_BOOKS: BookConfig[] = [
  { ...REFERENCE_BOOK, maxOpenOrders: 40, maxLeverage: 400, maxLoan: 10 ** 9 },
  {
    ...REFERENCE_BOOK,
    maxLeverage: 200,
    maxLoan: 10 ** 8,
    maintenanceMargin: 100_000_000,
    fees: {
      type: "tiered",
      makerRate: 0,
      takerRate: 300_000,
      tiers: [{ volumeRequired: 10 ** 6, makerRate: -50_000, takerRate: 200_000 }],
    },
  },
  { ...TAOS_BOOK_CONFIG, volumeDecimals: DECIMALS, minOrderLots: 1 },
];

/** The wire quote amount that buys `quantity` (wire base units) at MID_TICKS. */
function quoteAtMid(quantity: number): number {
  return quantity * MID_TICKS / 10 ** DECIMALS;
}

/** A seeded stream: batches of instructions, each submitted before one step. */
export type InstructionStream = Instruction[][];

/** Uniform integers from a seeded xoroshiro128+. */
function randomInts(seed: number): (from: number, to: number) => number {
  const generator = xoroshiro128plus(seed);
  return (from, to) => uniformInt(generator, from, to);
}

/**
 * `batches` batches of `batchSize` instructions in the reference's subset on
 * book 0, a quarter of them invalid. Order ids for cancels are guessed from
 * the number of orders sent so far, so some name filled, rejected or
 * foreign orders.
 */
export function referenceStream(
  seed: number,
  batches: number,
  batchSize: number,
): InstructionStream {
  const int = randomInts(seed);
  let sent = 0;
  const agent = () => FUNDED_AGENTS[int(0, FUNDED_AGENTS.length - 1)];
  const price = (side: Side) =>
    toWire(MID_TICKS + (side === Side.Buy ? -1 : 1) * int(-5, PRICE_SPREAD), DECIMALS);
  const quantity = () => toWire(int(1, MAX_ORDER_LOTS), DECIMALS);
  const valid = (): Instruction => {
    const roll = int(0, 99);
    const side = int(0, 1) as Side;
    if (roll < 30 && sent > 0) {
      return {
        kind: "cancel",
        agentId: agent(),
        bookId: 0,
        orderId: int(Math.max(1, sent - RECENT_ORDERS), sent),
        quantity: int(0, 1) === 0 ? 0 : quantity(),
      };
    }
    sent++;
    if (roll < 38) {
      return {
        kind: "market",
        agentId: agent(),
        bookId: 0,
        side,
        quantity: quantity(),
        stp: int(0, 4) as SelfTradePrevention,
      };
    }
    const timeInForce =
      [TimeInForce.GTC, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK][int(0, 3)];
    return {
      kind: "limit",
      agentId: agent(),
      bookId: 0,
      side,
      price: price(side),
      quantity: quantity(),
      timeInForce,
      postOnly: timeInForce === TimeInForce.GTC && int(0, 4) === 0,
      stp: int(0, 4) as SelfTradePrevention,
      clientOrderId: int(0, 1_000),
      delayNs: int(0, 3) === 0 ? int(0, 2 * STEP_NS) : 0,
    };
  };
  const invalid = (): Instruction => {
    const base = valid();
    if (base.kind !== "limit") return { ...base, agentId: AGENT_WITHOUT_ACCOUNT };
    switch (int(0, 6)) {
      case 0:
        return { ...base, price: base.price + 1 };
      case 1:
        return { ...base, quantity: base.quantity - 1 };
      case 2:
        return { ...base, price: -base.price };
      case 3:
        return { ...base, quantity: toWire(1, DECIMALS) };
      case 4:
        return { ...base, postOnly: true, timeInForce: TimeInForce.IOC };
      case 5:
        return { ...base, delayNs: -1 };
      default:
        return { ...base, bookId: 1 };
    }
  };
  return Array.from(
    { length: batches },
    () => Array.from({ length: batchSize }, () => int(0, 3) === 0 ? invalid() : valid()),
  );
}

/**
 * `batches` batches of `batchSize` instructions over EXCHANGE_BOOKS using
 * every instruction feature, a fifth of them malformed in some field.
 */
export function exchangeStream(
  seed: number,
  batches: number,
  batchSize: number,
): InstructionStream {
  const int = randomInts(seed);
  const sent = [0, 0, 0];
  const instruction = (): Instruction => {
    const bookId = int(0, EXCHANGE_BOOKS.length - 1);
    const agentId = FUNDED_AGENTS[int(0, FUNDED_AGENTS.length - 1)];
    const side = int(0, 1) as Side;
    const roll = int(0, 99);
    const quantity = toWire(int(1, MAX_ORDER_LOTS), DECIMALS);
    const target = () => int(Math.max(1, sent[bookId] - RECENT_ORDERS), Math.max(sent[bookId], 1));
    const delayNs = int(0, 2) === 0 ? int(0, 3 * STEP_NS) : 0;
    if (roll < 25) {
      return {
        kind: "cancel",
        agentId,
        bookId,
        orderId: target(),
        quantity: int(0, 1) * quantity,
        delayNs,
      };
    }
    if (roll < 30) return { kind: "closePosition", agentId, bookId, orderId: target(), delayNs };
    sent[bookId]++;
    if (roll < 40) {
      const quantityInQuote = int(0, 2) === 0;
      return {
        kind: "market",
        agentId,
        bookId,
        side,
        quantity: quantityInQuote ? quoteAtMid(quantity) : quantity,
        quantityInQuote,
        maxSlippageBps: int(0, 1) * int(1, 50),
        stp: int(0, 4) as SelfTradePrevention,
        delayNs,
      };
    }
    const timeInForce = int(0, 3) as TimeInForce;
    return {
      kind: "limit",
      agentId,
      bookId,
      side,
      price: toWire(MID_TICKS + (side === Side.Buy ? -1 : 1) * int(-5, PRICE_SPREAD), DECIMALS),
      quantity,
      timeInForce,
      expiryNs: timeInForce === TimeInForce.GTT ? int(1, 5 * STEP_NS) : 0,
      postOnly: int(0, 5) === 0,
      stp: int(0, 4) as SelfTradePrevention,
      leverage: int(0, 3) === 0 ? int(1, 5) * 100 : 0,
      clientOrderId: int(0, 1_000),
      delayNs,
    };
  };
  const malformed = (): Instruction => {
    const base = instruction();
    const field =
      ["side", "timeInForce", "stp", "bookId", "agentId", "delayNs", "kind", "price"][int(0, 7)];
    const values: Record<string, unknown> = {
      side: 2,
      timeInForce: 7,
      stp: 9,
      bookId: 2 ** 31,
      agentId: -5,
      delayNs: -int(1, 10),
      kind: "unknown",
      price: 2 ** 50,
    };
    return { ...base, [field]: values[field] } as Instruction;
  };
  return Array.from(
    { length: batches },
    () => Array.from({ length: batchSize }, () => int(0, 4) === 0 ? malformed() : instruction()),
  );
}

/** Everything a backend published for one stream. */
export interface EngineLog {
  steps: { events: BookEvent[]; notices: Notice[] }[];
  depth: DepthSnapshot[];
  accounts: Account[];
  ledgers: BookLedger[];
  checkpoint: Uint8Array;
}

/**
 * Runs `stream` on a new engine of `simulator` with every FUNDED_AGENT funded
 * on every book, checking invariants after each step. With `restoreAt`,
 * the engine is checkpointed after that many batches and the run continues
 * on the restored copy, so the log also proves checkpoints lose nothing.
 */
export function recordEngine(
  simulator: Simulator,
  books: readonly BookConfig[],
  stream: InstructionStream,
  restoreAt = -1,
): EngineLog {
  let engine = simulator.createEngine(books);
  for (let bookId = 0; bookId < books.length; bookId++) {
    for (const agentId of FUNDED_AGENTS) {
      engine.deposit(agentId, bookId, FUNDED_LOTS, FUNDED_QUOTE_UNITS);
    }
  }
  const steps = stream.map((batch, index) => {
    if (index === restoreAt) {
      const restored = simulator.restore(engine.checkpoint());
      engine.close();
      engine = restored;
    }
    engine.submit(batch);
    const output = engine.step((index + 1) * STEP_NS);
    engine.checkInvariants();
    return output;
  });
  const log = {
    steps,
    depth: books.map((_, bookId) => engine.depth(bookId)),
    accounts: engine.accounts(),
    ledgers: books.map((_, bookId) => engine.ledger(bookId)),
    checkpoint: engine.checkpoint(),
  };
  engine.close();
  return log;
}

/** What the reference published for one stream. */
export interface ReferenceLog {
  /** L3 events per step. */
  steps: BookEvent[][];
  /** Aggregated levels at the end, best first: [priceTicks, quantityLots]. */
  bids: [number, number][];
  asks: [number, number][];
  /** Instructions refused. */
  rejections: number;
}

/** Runs `stream` through a new reference book with every FUNDED_AGENT's account open. */
export function recordReference(book: BookConfig, stream: InstructionStream): ReferenceLog {
  const reference = new ReferenceBook(book);
  for (const agentId of FUNDED_AGENTS) reference.deposit(agentId);
  const steps = stream.map((batch, index) => {
    reference.submit(batch);
    return reference.step((index + 1) * STEP_NS);
  });
  return {
    steps,
    bids: reference.depth(Side.Buy),
    asks: reference.depth(Side.Sell),
    rejections: reference.rejections,
  };
}
