/**
 * What the GenTRX tokenizer reads and writes: one order-flow event (a limit
 * order on either side, a cancel or an execution) in integer ticks and lots,
 * and the book it left behind. This is the model's view of the τaos data
 * rows (taos.md §6.2: order_type, price, volume, timestamp, LOB volumes).
 *
 * @module
 */
import type { Depth } from "@/engine/book_records.ts";

/** The five order types of τaos's type field (taos.md §6.1), in token order. */
export const OrderType = { Bid: 0, Ask: 1, Cancel: 2, ExecBuy: 3, ExecSell: 4 } as const;
export type OrderType = typeof OrderType[keyof typeof OrderType];

/** The number of order types, the size of the type field. */
export const ORDER_TYPE_COUNT = 5;

/** One order-flow event, as the model predicts it. */
export interface OrderFlowOrder {
  type: OrderType;
  timestampNs: number;
  priceTicks: number;
  quantityLots: number;
}

/** An event with the book as it stood right after the event. */
export interface OrderFlowRow extends OrderFlowOrder {
  bookAfter: Depth;
}

/** The mid price in ticks (a half tick when the spread is odd); one side alone gives its best. */
export function midPriceTicks(book: Depth): number | undefined {
  const bid = book.bids[0]?.priceTicks;
  const ask = book.asks[0]?.priceTicks;
  if (bid !== undefined && ask !== undefined) return (bid + ask) / 2;
  return bid ?? ask;
}
