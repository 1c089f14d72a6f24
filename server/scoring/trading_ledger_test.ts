import { deepEqual, equal } from "node:assert/strict";
import type { Notice } from "@/engine/book_records.ts";
import { RECENT_FILLS, TradingLedger } from "@/server/scoring/trading_ledger.ts";

const grid = { priceDecimals: 2, volumeDecimals: 4 };

/** A trade notice to `recipient`: taker `taker` on `side` against maker `maker`. */
function trade(
  recipient: number,
  taker: number,
  maker: number,
  side: 0 | 1,
  priceTicks: number,
  quantityLots: number,
  fees = { taker: 0, maker: 0 },
): Notice {
  return {
    recipientAgentId: recipient,
    kind: "trade",
    bookId: 0,
    timeNs: 0,
    side,
    takerOrderId: 1,
    takerAgentId: taker,
    clientOrderId: 0,
    makerOrderId: 2,
    makerAgentId: maker,
    priceTicks,
    quantityLots,
    takerFee: fees.taker,
    makerFee: fees.maker,
  };
}

Deno.test("a round trip realises PnL net of fees, one observation per step", () => {
  const ledger = new TradingLedger([grid]);
  // uid 3 buys 1.0 at 300.00 as taker (fee 0.06 = 60 000 quote units), then sells 1.0 at 301.00 as maker.
  ledger.record(1e9, [3, 4], [trade(3, 3, -1, 0, 30_000, 10_000, { taker: 60_000, maker: 0 })]);
  ledger.record(2e9, [3, 4], [trade(3, -1, 3, 0, 30_100, 10_000)]);
  const history = ledger.history(3);
  equal(history.length, 2);
  equal(history[0].pnlByBook.get(0), 0);
  equal(Math.abs(history[1].pnlByBook.get(0)! - (1 - 0.06)) < 1e-9, true);
  equal(ledger.history(4).length, 2);
  equal(ledger.history(4)[1].pnlByBook.size, 0);
  equal(Math.abs(ledger.volume(3, 0) - 601) < 1e-9, true);
  equal(ledger.totals(3).fills, 2);
});

Deno.test("history and volume drop out of their windows; reset forgets a miner", () => {
  const ledger = new TradingLedger([grid], { historyNs: 10e9, volumeWindowNs: 5e9 });
  ledger.record(1e9, [3], [trade(3, 3, -1, 0, 100, 10_000)]);
  ledger.record(7e9, [3], []);
  equal(ledger.volume(3, 0), 0);
  ledger.record(12e9, [3], []);
  equal(ledger.history(3).length, 2);
  ledger.reset(3);
  equal(ledger.history(3).length, 0);
});

Deno.test("recent fills name side, role, price and fee, newest last, bounded", () => {
  const ledger = new TradingLedger([grid]);
  ledger.record(1e9, [3], [trade(3, 3, -1, 0, 30_000, 10_000, { taker: 60_000, maker: 0 })]);
  ledger.record(2e9, [3], [trade(3, -1, 3, 0, 30_100, 10_000)]);
  const [bought, sold] = ledger.recentFills(3);
  equal(bought.side, 0);
  equal(bought.role, "taker");
  equal(bought.price, 300);
  equal(bought.quantity, 1);
  equal(Math.abs(bought.fee - 0.06) < 1e-12, true);
  equal(sold.side, 1);
  equal(sold.role, "maker");
  equal(Math.abs(sold.realizedPnl - 0.94) < 1e-9, true);
  for (let i = 0; i < RECENT_FILLS + 5; i++) {
    ledger.record(3e9 + i, [3], [trade(3, 3, -1, 0, 30_000, 10_000)]);
  }
  equal(ledger.recentFills(3).length, RECENT_FILLS);
  equal(ledger.recentFills(3).at(-1)?.timestampNs, 3e9 + RECENT_FILLS + 4);
  equal(ledger.recentFills(4).length, 0);
});

Deno.test("a ledger restored from entries() goes on exactly as the original does", () => {
  const original = new TradingLedger([grid]);
  original.record(1e9, [3, 4], [trade(3, 3, 4, 0, 30_000, 10_000, { taker: 60_000, maker: 0 })]);
  original.record(2e9, [3, 4], [trade(4, 3, 4, 0, 30_000, 10_000)]);
  const restored = new TradingLedger([grid]);
  restored.restore(original.entries());
  deepEqual(restored.entries(), original.entries());
  // Open lots came back too: the same closing trade realises the same PnL in both.
  for (const ledger of [original, restored]) {
    ledger.record(3e9, [3, 4], [trade(3, -1, 3, 0, 30_100, 10_000)]);
  }
  deepEqual(restored.entries(), original.entries());
  deepEqual(restored.totals(3), original.totals(3));
  deepEqual(restored.history(3), original.history(3));
});
