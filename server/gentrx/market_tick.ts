/**
 * The tick the validator sends the gradient server after each market step
 * (taos.md §6.2 POST /state): every book's top levels after the step and
 * the step's L3 events.
 *
 * @module
 */
import type { Engine, StepOutput } from "@/engine/simulator.ts";
import type { BookEvent } from "@/engine/book_records.ts";
import { PAGE_LOB_LEVELS } from "@/engine/gentrx/store/training_page.ts";
import type { GenTrxTick } from "@/server/gentrx/training_data.ts";

export function marketTick(simulationId: string, engine: Engine, output: StepOutput): GenTrxTick {
  const events = new Map<number, BookEvent[]>();
  for (const event of output.events) {
    const list = events.get(event.bookId) ?? [];
    list.push(event);
    events.set(event.bookId, list);
  }
  return {
    simulationId,
    timeNs: engine.nowNs,
    books: Array.from({ length: engine.bookCount }, (_, bookId) => {
      const { bids, asks } = engine.depth(bookId, PAGE_LOB_LEVELS, 0);
      return {
        bookId,
        bids: bids.map(({ priceTicks, quantityLots }) => ({ priceTicks, quantityLots })),
        asks: asks.map(({ priceTicks, quantityLots }) => ({ priceTicks, quantityLots })),
        events: events.get(bookId) ?? [],
      };
    }),
  };
}
