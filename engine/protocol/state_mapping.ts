/**
 * From the exchange's records (integer ticks, lots and quote units;
 * book_records.ts) to the τaos state update a miner reads (decimal numbers
 * with compact keys; state_update.ts), per τaos §3.3–3.5.
 *
 * Units: price = ticks / 10^priceDecimals, volume = lots / 10^volumeDecimals,
 * quote amounts and fees = quote units / 10^(priceDecimals + volumeDecimals),
 * rates = ppb / 10^9. A trade's id `i` is its taker order id (with `Mi` it
 * names the fill: a taker meets each maker once), the same in the L3 event
 * and in both parties' notices.
 *
 * @module
 */
import {
  type Account as EngineAccount,
  type BookEvent as EngineEvent,
  CancelReason,
  type DepthLevel as EngineLevel,
  type DepthSnapshot,
  type Notice as EngineNotice,
  RATE_SCALE,
  RejectCode,
  WIRE_DECIMALS,
} from "@/engine/book_records.ts";
import type { Account, Book, BookEvent, Level, Notice } from "@/engine/protocol/state_update.ts";

/** A book's grids. */
export interface Grid {
  priceDecimals: number;
  volumeDecimals: number;
}

/** Initial balances, for τaos's `i` fields. */
export interface InitialBalances {
  baseLots: number;
  quoteUnits: number;
}

const WIRE_SCALE = 10 ** WIRE_DECIMALS;

const cancelReasons: Record<number, string> = {
  [CancelReason.Requested]: "cancelled",
  [CancelReason.Expired]: "expired",
  [CancelReason.UnfilledRemainder]: "unfilled remainder cancelled",
  [CancelReason.SelfTrade]: "cancelled by self-trade prevention",
  [CancelReason.Liquidation]: "liquidated by a margin call",
};

function scale(grid: Grid) {
  const price = 10 ** grid.priceDecimals;
  const volume = 10 ** grid.volumeDecimals;
  return {
    price: (ticks: number) => ticks / price,
    volume: (lots: number) => lots / volume,
    quote: (units: number) => units / (price * volume),
  };
}

/** One book as published: levels (orders in the detailed ones) and this step's L3 events. */
export function stateBook(
  snapshot: DepthSnapshot,
  events: readonly EngineEvent[],
  makerTakerRatioPpb: number,
  grid: Grid,
): Book {
  const { price, volume, quote } = scale(grid);
  const level = (entry: EngineLevel): Level => {
    const out: Level = { p: price(entry.priceTicks), q: volume(entry.quantityLots) };
    if (entry.orders) {
      out.o = entry.orders.map((order) => ({
        i: order.orderId,
        q: volume(order.quantityLots),
        ...(order.clientOrderId ? { c: order.clientOrderId } : {}),
      }));
    }
    return out;
  };
  const e = events.map((event): BookEvent => {
    switch (event.kind) {
      case "placed":
        return {
          y: "o",
          i: event.orderId,
          ...(event.clientOrderId ? { c: event.clientOrderId } : {}),
          t: event.timeNs,
          q: volume(event.quantityLots),
          s: event.side,
          p: event.priceTicks === null ? null : price(event.priceTicks),
        };
      case "trade":
        return {
          y: "t",
          i: event.takerOrderId,
          s: event.side,
          t: event.timeNs,
          q: volume(event.quantityLots),
          p: price(event.priceTicks),
          Ti: event.takerOrderId,
          Ta: event.takerAgentId,
          Tf: quote(event.takerFee),
          Mi: event.makerOrderId,
          Ma: event.makerAgentId,
          Mf: quote(event.makerFee),
        };
      case "cancelled":
        return {
          y: "c",
          i: event.orderId,
          t: event.timeNs,
          p: event.priceTicks === null ? 0 : price(event.priceTicks),
          q: volume(event.quantityLots),
        };
    }
  });
  return {
    i: snapshot.bookId,
    r: makerTakerRatioPpb / RATE_SCALE,
    b: snapshot.bids.map(level),
    a: snapshot.asks.map(level),
    e,
  };
}

/** One miner's account on one book (τaos §3.4). */
export function stateAccount(
  account: EngineAccount,
  initial: InitialBalances,
  openOrderIds: readonly number[],
  grid: Grid,
): Account {
  const { volume, quote } = scale(grid);
  return {
    i: account.agentId,
    b: account.bookId,
    bb: {
      t: volume(account.baseTotal),
      f: volume(account.baseFree),
      r: volume(account.baseReserved),
      i: volume(initial.baseLots),
    },
    qb: {
      t: quote(account.quoteTotal),
      f: quote(account.quoteFree),
      r: quote(account.quoteReserved),
      i: quote(initial.quoteUnits),
    },
    bl: volume(account.baseLoan),
    ql: quote(account.quoteLoan),
    bc: volume(account.baseCollateral),
    qc: quote(account.quoteCollateral),
    o: [...openOrderIds],
    f: {
      v: quote(account.makerVolume + account.takerVolume),
      m: account.makerRate / RATE_SCALE,
      t: account.takerRate / RATE_SCALE,
    },
    v: quote(account.makerVolume + account.takerVolume),
  };
}

/** Codes of rejections that answer a cancel or a close, not an order. */
const cancelRejections = new Set<number>([RejectCode.UnknownOrder, RejectCode.NotOrderOwner]);

/** One exchange notice as τaos's notice for its recipient (§3.5). */
export function stateNotice(notice: EngineNotice, grid: Grid): Notice {
  const { price, volume, quote } = scale(grid);
  switch (notice.kind) {
    case "accepted": {
      const market = notice.priceTicks === null;
      return {
        y: market ? "RDPOM" : "RDPOL",
        t: notice.timeNs,
        b: notice.bookId,
        o: notice.orderId,
        c: notice.clientOrderId || null,
        s: notice.side,
        q: volume(notice.quantityLots),
        ...(market ? {} : { p: price(notice.priceTicks!) }),
        u: true,
        m: "",
      };
    }
    case "rejected": {
      if (cancelRejections.has(notice.code)) {
        return {
          y: "ERDCO",
          t: notice.timeNs,
          b: notice.bookId,
          c: [{ o: notice.orderId, q: null, u: false, m: notice.message }],
        };
      }
      if (notice.code === RejectCode.NoPosition) {
        return {
          y: "ERDCP",
          t: notice.timeNs,
          b: notice.bookId,
          o: [{ o: notice.orderId, q: null, u: false, m: notice.message }],
        };
      }
      const market = notice.price === 0;
      return {
        y: market ? "ERDPOM" : "ERDPOL",
        t: notice.timeNs,
        b: notice.bookId,
        o: null,
        c: notice.clientOrderId || null,
        s: notice.side === 1 ? 1 : 0,
        q: notice.quantity / WIRE_SCALE,
        ...(market ? {} : { p: notice.price / WIRE_SCALE }),
        u: false,
        m: notice.message,
      };
    }
    case "cancelled":
      return {
        y: "RDCO",
        t: notice.timeNs,
        b: notice.bookId,
        c: [{
          o: notice.orderId,
          q: volume(notice.quantityLots),
          u: true,
          m: cancelReasons[notice.reason] ?? "",
        }],
      };
    case "trade":
      return {
        y: "ET",
        t: notice.timeNs,
        b: notice.bookId,
        i: notice.takerOrderId,
        s: notice.side,
        p: price(notice.priceTicks),
        q: volume(notice.quantityLots),
        Ti: notice.takerOrderId,
        Ta: notice.takerAgentId,
        Tf: quote(notice.takerFee),
        Mi: notice.makerOrderId,
        Ma: notice.makerAgentId,
        Mf: quote(notice.makerFee),
      };
    case "positionClosed":
      return {
        y: "RDCP",
        t: notice.timeNs,
        b: notice.bookId,
        o: [{
          o: notice.orderId,
          q: volume(notice.quantityLots),
          u: true,
          m: cancelReasons[notice.reason] ?? "",
        }],
      };
  }
}
