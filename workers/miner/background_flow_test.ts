import { deepEqual, equal, notDeepEqual, ok } from "node:assert/strict";
import { Side, TAOS_BOOK_CONFIG, toWire } from "@/engine/book_records.ts";
import { BackgroundFlow, MAKER_AGENT, NOISE_AGENT } from "@/workers/miner/background_flow.ts";

const books = [TAOS_BOOK_CONFIG, TAOS_BOOK_CONFIG];

Deno.test("the maker cancels its old quotes and quotes both sides around the fundamental", () => {
  const flow = new BackgroundFlow(books, { seed: 5 });
  const instructions = flow.step(0, [41, 42], 30_000);
  deepEqual(
    instructions.slice(0, 2).map((i) => [i.kind, i.agentId, "orderId" in i ? i.orderId : null]),
    [["cancel", MAKER_AGENT, 41], ["cancel", MAKER_AGENT, 42]],
  );
  const quotes = instructions.filter((i) => i.kind === "limit" && i.agentId === MAKER_AGENT);
  equal(quotes.length, 10);
  const fundamental = toWire(Math.round(flow.fundamentalTicks(0)), TAOS_BOOK_CONFIG.priceDecimals);
  for (const quote of quotes) {
    if (quote.kind !== "limit") continue;
    ok(quote.side === Side.Buy ? quote.price < fundamental : quote.price > fundamental);
    ok(quote.quantity >= toWire(TAOS_BOOK_CONFIG.minOrderLots, TAOS_BOOK_CONFIG.volumeDecimals));
  }
  ok(instructions.every((i) => i.agentId === MAKER_AGENT || i.agentId === NOISE_AGENT));
  ok(instructions.every((i) => i.bookId === 0 && (i.delayNs ?? 0) < 1e9));
});

Deno.test("a seed fixes the flow; books and seeds differ", () => {
  const run = (seed: number) => {
    const flow = new BackgroundFlow(books, { seed });
    return Array.from({ length: 20 }, (_, step) => flow.step(step % 2, [], null));
  };
  deepEqual(run(3), run(3));
  notDeepEqual(run(3), run(4));
  equal(new BackgroundFlow(books, { seed: 1 }).deposits().length, 4);
});
