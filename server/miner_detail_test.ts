import { deepEqual, equal } from "node:assert/strict";
import type { Notice } from "@/engine/book_records.ts";
import { minerDetail, type MinerDetailSources } from "@/server/miner_detail.ts";
import { TradingLedger } from "@/server/scoring/trading_ledger.ts";

const grid = { priceDecimals: 2, volumeDecimals: 4 };

function fill(uid: number, side: 0 | 1, priceTicks: number, bookId = 0): Notice {
  return {
    recipientAgentId: uid,
    kind: "trade",
    bookId,
    timeNs: 0,
    side,
    takerOrderId: 1,
    takerAgentId: uid,
    clientOrderId: 0,
    makerOrderId: 2,
    makerAgentId: -1,
    priceTicks,
    quantityLots: 10_000,
    takerFee: 0,
    makerFee: 0,
  };
}

function sources(ledger: TradingLedger): MinerDetailSources {
  const neuron = (uid: number, hotkey: string) => ({
    uid,
    hotkey,
    registeredAt: 0,
    validatorPermit: uid === 0,
    endpoint: null,
  });
  return {
    loop: {
      ledger,
      lastResponseMs: (uid) => uid === 3 ? 12.5 : undefined,
      scoring: null,
    },
    gateway: {
      miners: [{
        uid: 3,
        hotkey: "5Live",
        remoteAddress: "127.0.0.1",
        acceptedFrames: 4,
        refusedFrames: 0,
      }],
    },
    chain: {
      metagraph: () => Promise.resolve([neuron(0, "5Val"), neuron(3, "5Live"), neuron(4, "5Away")]),
    },
    market: { bookCount: 2 },
  };
}

Deno.test("a miner's detail: totals, volume per book, PnL curve and fills newest first", async () => {
  const ledger = new TradingLedger([grid, grid]);
  ledger.record(1e9, [3], [fill(3, 0, 30_000)]);
  ledger.record(2e9, [3], [fill(3, 1, 30_100), fill(3, 0, 20_000, 1)]);
  const detail = (await minerDetail(sources(ledger), 3))!;
  equal(detail.hotkey, "5Live");
  equal(detail.connected, true);
  equal(detail.lastResponseMs, 12.5);
  equal(detail.fills, 3);
  deepEqual(detail.volumeByBook.map(Math.round), [601, 200]);
  equal(Math.round(detail.volume), 801);
  deepEqual(detail.pnlCurve.map((point) => [point.time, Math.round(point.pnl * 100) / 100]), [
    [1, 0],
    [2, 1],
  ]);
  deepEqual(detail.recentFills.map((f) => [f.bookId, f.side]), [[1, 0], [0, 1], [0, 0]]);
  equal(detail.score, null);
});

Deno.test("a registered miner that never traded has zeros; an unknown UID has no detail", async () => {
  const ledger = new TradingLedger([grid, grid]);
  const away = (await minerDetail(sources(ledger), 4))!;
  deepEqual([away.hotkey, away.connected, away.fills, away.volume, away.pnlCurve.length], [
    "5Away",
    false,
    0,
    0,
    0,
  ]);
  equal(await minerDetail(sources(ledger), 9), null);
});
