import { deepEqual, equal } from "node:assert/strict";
import type { Notice, TradeNotice } from "@/engine/protocol/state_update.ts";
import { MinerTracker } from "@/workers/miner/miner_tracker.ts";
import { account, bookAround, stateWith } from "@/tests/fixtures/state_updates.ts";

const UID = 4;

function trade(change: Partial<TradeNotice>): TradeNotice {
  return {
    y: "ET",
    t: 2e9,
    b: 0,
    i: 10,
    s: 0,
    p: 300,
    q: 1,
    Ti: 10,
    Ta: UID,
    Tf: 0.07,
    Mi: 9,
    Ma: -1,
    Mf: 0,
    ...change,
  };
}

function state(notices: Notice[], openIds: number[], base = 100, quote = 30_000) {
  return stateWith([bookAround(0, 300)], {
    timestamp: 2e9,
    notices,
    accounts: {
      0: account(0, {
        i: UID,
        o: openIds,
        bb: { t: base, f: base, r: 0, i: 100 },
        qb: { t: quote, f: quote, r: 0, i: 30_000 },
      }),
    },
  });
}

Deno.test("the tracker follows orders, fills and FIFO PnL from the notices", () => {
  const tracker = new MinerTracker(UID);
  const placed: Notice = {
    y: "RDPOL",
    t: 1e9,
    b: 0,
    o: 9,
    c: null,
    s: 1,
    q: 2,
    p: 301,
    u: true,
    m: "",
  };
  tracker.observe(state([placed], [9]));
  deepEqual(tracker.snapshot().openOrders, [{
    bookId: 0,
    orderId: 9,
    side: 1,
    price: 301,
    quantity: 2,
  }]);
  // Bought 1 at 300 as taker, then sold 1 at 301 as maker of order 9 (half of it fills).
  tracker.observe(state([trade({})], [9], 101, 29_699.93));
  tracker.observe(
    state([trade({ s: 0, p: 301, Ta: -1, Tf: 0, Ma: UID, Mi: 9, Mf: 0 })], [9], 100, 30_000.93),
  );
  tracker.answered(1.5);
  const snapshot = tracker.snapshot();
  equal(snapshot.fillCount, 2);
  equal(snapshot.fills[0].role, "maker");
  equal(snapshot.fills[0].side, 1);
  equal(Math.abs(snapshot.realizedPnl - (1 - 0.07)) < 1e-9, true);
  equal(snapshot.openOrders[0].quantity, 1);
  equal(snapshot.agentMs, 1.5);
  equal(snapshot.steps, 3);
  // Mid 300 (book around 300): equity change = 0 × 300 + 0.93.
  equal(Math.abs(snapshot.equityChange! - 0.93) < 1e-9, true);
  // Gone from the account's list: no longer open.
  tracker.observe(state([], []));
  equal(tracker.snapshot().openOrderCount, 0);
});

Deno.test("refusals are counted with the last reason; a self-trade fills both sides", () => {
  const tracker = new MinerTracker(UID);
  tracker.observe(state([{ y: "EVAL", t: 0, f: "instructions[0].price", m: "Invalid price" }], []));
  tracker.refused("Answer to step 2 refused: rate limited");
  tracker.observe(state([trade({ Ta: UID, Ma: UID })], []));
  const snapshot = tracker.snapshot();
  equal(snapshot.refusals, 2);
  equal(snapshot.lastRefusal, "Answer to step 2 refused: rate limited");
  deepEqual(snapshot.fills.map((fill) => fill.role).sort(), ["maker", "taker"]);
});
