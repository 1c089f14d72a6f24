import { equal } from "node:assert/strict";
import { change24hTicks, spreadTicks } from "@/islands/_book_summary.ts";

Deno.test("change24hTicks is the last price less the day's open, null while either is unknown", () => {
  equal(change24hTicks({ lastPriceTicks: 10_250, openTicks24h: 10_000 }), 250);
  equal(change24hTicks({ lastPriceTicks: 9_900, openTicks24h: 10_000 }), -100);
  equal(change24hTicks({ lastPriceTicks: null, openTicks24h: 10_000 }), null);
  equal(change24hTicks({ lastPriceTicks: 10_000, openTicks24h: null }), null);
});

Deno.test("spreadTicks is the best ask less the best bid, null while a side is empty", () => {
  equal(spreadTicks({ bestBidTicks: 9_990, bestAskTicks: 10_010 }), 20);
  equal(spreadTicks({ bestBidTicks: null, bestAskTicks: 10_010 }), null);
  equal(spreadTicks({ bestBidTicks: 9_990, bestAskTicks: null }), null);
});
