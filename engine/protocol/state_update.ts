/**
 * The state update a validator sends each miner every publish interval:
 * τaos's `MarketSimulationStateUpdate` (shared/reference/taos.md §3.1–3.5)
 * with its compact keys, in msgpack.
 *
 * The books part is the same for every miner, so it is encoded once per
 * step and shared; each miner's frame adds only its own accounts and
 * notices (and the config when it changed). Prices and quantities are
 * decimal numbers on the grid the config names, as in τaos.
 *
 * @module
 */
import { decode, encode } from "@msgpack/msgpack";
import { BinaryParts, encodeValue, joinParts, mapParts } from "@/engine/protocol/msgpack_parts.ts";

/** τaos `MarketSimulationConfig`, the keys a miner needs (§3.2). */
export interface SimulationConfig {
  priceDecimals: number;
  volumeDecimals: number;
  baseDecimals: number;
  quoteDecimals: number;
  fee_policy: { fee_type: "static" | "tiered" | "dynamic"; params: Record<string, number> };
  min_order_size: number;
  max_open_orders: number;
  max_leverage: number;
  max_loan: number;
  maintenance_margin: number;
  miner_wealth: number;
  /** ns of simulated time between state updates. */
  publish_interval: number;
  grace_period: number;
  duration: number;
  book_count: number;
  book_levels: number;
  detailed_book_levels: number;
}

/** A resting order shown in a detailed level. */
export interface LevelOrder {
  i: number;
  q: number;
  /** Client order id, when the owner gave one (own orders only matter). */
  c?: number;
}

export interface Level {
  p: number;
  q: number;
  /** Orders, FIFO, in the top `detailed_book_levels` levels only. */
  o?: LevelOrder[];
}

/** L3 events since the last update (§3.3). */
export type BookEvent =
  | { y: "o"; i: number; c?: number; t: number; q: number; s: 0 | 1; p: number | null; l?: number }
  | {
    y: "t";
    i: number;
    s: 0 | 1;
    t: number;
    q: number;
    p: number;
    Ti: number;
    Ta: number;
    Tf: number;
    Mi: number;
    Ma: number;
    Mf: number;
  }
  | { y: "c"; i: number; t: number; p: number; q: number | null };

export interface Book {
  i: number;
  /** Maker-taker ratio of recent volume (τaos dynamic fees). */
  r: number;
  /** Bids, best (highest) first. */
  b: Level[];
  /** Asks, best (lowest) first. */
  a: Level[];
  e: BookEvent[];
}

export interface Balance {
  t: number;
  f: number;
  r: number;
  i: number;
}

/** One miner's account on one book (§3.4). */
export interface Account {
  i: number;
  b: number;
  bb: Balance;
  qb: Balance;
  bl: number;
  ql: number;
  bc: number;
  qc: number;
  /** Open order ids. */
  o: number[];
  f: { v: number; m: number; t: number };
  /** Rolling traded volume (checked against the volume cap). */
  v: number;
}

/** An order placed (RDPOL/RDPOM) or refused (ERDPOL/ERDPOM); `m` says why. */
export interface OrderNotice {
  y: "RDPOL" | "ERDPOL" | "RDPOM" | "ERDPOM";
  t: number;
  b: number;
  o: number | null;
  c: number | null;
  s: 0 | 1;
  q: number;
  p?: number;
  u: boolean;
  m: string;
}

export interface CancelResult {
  o: number;
  q: number | null;
  u: boolean;
  m: string;
}

/** Cancellations done (RDCO) or refused (ERDCO). */
export interface CancelNotice {
  y: "RDCO" | "ERDCO";
  t: number;
  b: number;
  c: CancelResult[];
}

/** Positions closed (RDCP) or not (ERDCP). */
export interface CloseNotice {
  y: "RDCP" | "ERDCP";
  t: number;
  b: number;
  o: CancelResult[];
}

/** One of the miner's orders traded (ET). */
export interface TradeNotice {
  y: "ET";
  t: number;
  b: number;
  i: number;
  s: 0 | 1;
  p: number;
  q: number;
  Ti: number;
  Ta: number;
  Tf: number;
  Mi: number;
  Ma: number;
  Mf: number;
}

/** The miner's accounts were reset (RDRA; τaos RESET_AGENT's response, §2.6). */
export interface ResetNotice {
  y: "RDRA";
  t: number;
  r: { u: boolean; m: string }[];
}

/** Notices addressed to one miner (§3.5); `y` is the τaos code. */
export type Notice =
  | { y: "ESS" | "ESE"; t: number }
  | OrderNotice
  | CancelNotice
  | CloseNotice
  | TradeNotice
  | ResetNotice
  /** Ours: the validator refused (part of) the miner's last response; `f` names the field. */
  | { y: "EVAL"; t: number; f: string; m: string };

export interface StateUpdate {
  /** Protocol version of the validator. */
  version: number;
  /** Simulated time, ns. */
  timestamp: number;
  /** Present on the first update and whenever it changes. */
  config?: SimulationConfig;
  books: Book[];
  /** This miner's accounts by book id. */
  accounts: Record<number, Account>;
  notices: Notice[];
}

/** Encodes the books once per step; every miner's update embeds these bytes. */
export function encodeBooks(books: readonly Book[]): Uint8Array {
  return encode(books);
}

/** One miner's update body: the shared books blob plus its own part. */
export function encodeStateUpdate(
  sharedBooks: Uint8Array,
  own: Omit<StateUpdate, "books">,
): Uint8Array {
  return joinParts(stateUpdateParts(sharedBooks, own));
}

/**
 * The bytes of `encodeStateUpdate` as parts, not joined: the shared books
 * are one of them, uncopied, so a frame around the body (frames.ts
 * `encodeStateFrame`) copies them once, straight into the bytes sent.
 */
export function stateUpdateParts(
  sharedBooks: Uint8Array,
  own: Omit<StateUpdate, "books">,
): Uint8Array[] {
  return mapParts([
    ["books", new BinaryParts([sharedBooks])],
    ["own", new BinaryParts([encodeValue(own)])],
  ]);
}

/** Decodes an update body; throws a TypeError when it is not one. */
export function decodeStateUpdate(body: Uint8Array): StateUpdate {
  const outer = decode(body) as { books?: unknown; own?: unknown };
  if (!(outer?.books instanceof Uint8Array) || !(outer.own instanceof Uint8Array)) {
    throw new TypeError("Cannot decode state update: expected binary books and own parts");
  }
  const own = decode(outer.own) as Omit<StateUpdate, "books">;
  return { ...own, books: decode(outer.books) as Book[] };
}
