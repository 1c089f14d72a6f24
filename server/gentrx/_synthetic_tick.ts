/**
 * A made-up market step for GenTRX tests: two books with 12 placed orders
 * each around 1000, prices walking with the step, so a few steps fill
 * training pages without a simulator.
 *
 * @module
 */
import { Side } from "@/engine/book_records.ts";
import type { GenTrxTick } from "@/server/gentrx/training_data.ts";

export function syntheticTick(step: number, simulationId = "synthetic"): GenTrxTick {
  return {
    simulationId,
    timeNs: step * 1e9,
    books: [0, 1].map((bookId) => ({
      bookId,
      bids: [{ priceTicks: 999, quantityLots: 50_000 }],
      asks: [{ priceTicks: 1001, quantityLots: 50_000 }],
      events: Array.from({ length: 12 }, (_, i) => ({
        kind: "placed" as const,
        bookId,
        timeNs: step * 1e9 - 1e6 * (12 - i),
        orderId: step * 100 + i,
        agentId: 1,
        clientOrderId: 0,
        side: i % 2 === 0 ? Side.Buy : Side.Sell,
        priceTicks: i % 2 === 0 ? 995 - (i % 3) : 1005 + (step % 4),
        quantityLots: 10_000 + 1000 * ((i * step) % 7),
      })),
    })),
  };
}
