/**
 * The gradient server's per-book replay (taos.md §6.2 "the server replays
 * events through per-book engines"): the validator sends each step's L3
 * events and the book after the step; replaying the events over the
 * previous book gives the book after every single event, which is what a
 * training row needs. The step's snapshot then replaces the replayed book,
 * so a missed or odd event cannot make the replay drift.
 *
 * @module
 */
import { type BookEvent, type Depth, type DepthLevel, Side } from "@/engine/book_records.ts";
import { OrderType } from "@/engine/gentrx/order_flow.ts";
import { PAGE_LOB_LEVELS, type TrainingRow } from "@/engine/gentrx/store/training_page.ts";

export class BookReplay {
  /** Price → resting lots, per side. */
  readonly #bids = new Map<number, number>();
  readonly #asks = new Map<number, number>();

  constructor(book: Depth) {
    this.reset(book);
  }

  /** Replaces the replayed book with a snapshot. */
  reset(book: Depth): void {
    this.#bids.clear();
    this.#asks.clear();
    for (const level of book.bids) this.#bids.set(level.priceTicks, level.quantityLots);
    for (const level of book.asks) this.#asks.set(level.priceTicks, level.quantityLots);
  }

  /**
   * Applies events in order and returns one row per event that changed the
   * book: a resting order placed (bid/ask), a trade (exec-buy/exec-sell by
   * the aggressor's side, at the maker's price) or a cancel of resting
   * quantity. Market-order records and fully filled placements add no row.
   */
  apply(events: readonly BookEvent[]): TrainingRow[] {
    const rows: TrainingRow[] = [];
    for (const event of events) {
      if (event.priceTicks === null || event.quantityLots <= 0) continue;
      let type: OrderType;
      if (event.kind === "placed") {
        type = event.side === Side.Buy ? OrderType.Bid : OrderType.Ask;
        this.#change(event.side, event.priceTicks, event.quantityLots);
      } else if (event.kind === "trade") {
        type = event.side === Side.Buy ? OrderType.ExecBuy : OrderType.ExecSell;
        // The maker rests on the other side of the aggressor.
        const makerSide = event.side === Side.Buy ? Side.Sell : Side.Buy;
        this.#change(makerSide, event.priceTicks, -event.quantityLots);
      } else {
        type = OrderType.Cancel;
        this.#change(event.side, event.priceTicks, -event.quantityLots);
      }
      rows.push({
        type,
        timestampNs: event.timeNs,
        priceTicks: event.priceTicks,
        quantityLots: event.quantityLots,
        bookAfter: this.depth(),
      });
    }
    return rows;
  }

  /** The top `PAGE_LOB_LEVELS` levels per side, best first. */
  depth(): Depth {
    return {
      bids: top(this.#bids, (a, b) => b - a),
      asks: top(this.#asks, (a, b) => a - b),
    };
  }

  #change(side: Side, priceTicks: number, lots: number): void {
    const levels = side === Side.Buy ? this.#bids : this.#asks;
    const next = (levels.get(priceTicks) ?? 0) + lots;
    if (next > 0) levels.set(priceTicks, next);
    else levels.delete(priceTicks);
  }
}

function top(levels: Map<number, number>, order: (a: number, b: number) => number): DepthLevel[] {
  return [...levels.keys()].sort(order).slice(0, PAGE_LOB_LEVELS).map((priceTicks) => ({
    priceTicks,
    quantityLots: levels.get(priceTicks)!,
  }));
}
