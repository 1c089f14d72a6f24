/** The example agents produce valid responses and behave as documented. */
import { deepEqual, equal } from "node:assert/strict";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { AgentRunner } from "@/engine/agent/agent_runner.ts";
import { filterAgentResponse, type Instruction } from "@/engine/protocol/agent_response.ts";
import type { StateUpdate } from "@/engine/protocol/state_update.ts";
import imbalanceTrader from "@/engine/agents/imbalance.ts";
import onlineRegression, { OnlineRidge } from "@/engine/agents/online_regression.ts";
import randomMaker from "@/engine/agents/random_maker.ts";
import randomTaker from "@/engine/agents/random_taker.ts";
import { account, bookAround, stateWith } from "@/tests/fixtures/state_updates.ts";

function run(factory: AgentFactory, states: StateUpdate[], params = {}): Instruction[][] {
  const runner = new AgentRunner(factory, { uid: 3, params, seed: 9 });
  return states.map((state) => {
    const { accepted, refused } = filterAgentResponse(runner.handle(state), {
      uid: 3,
      bookCount: 2,
      maxInstructionsPerBook: 5,
      isOverVolumeCap: () => false,
    });
    deepEqual(refused, [], "every instruction an example agent sends is valid");
    return accepted;
  });
}

Deno.test("random maker quotes post-only GTT orders behind the touch on both sides", () => {
  const [orders] = run(randomMaker, [stateWith([bookAround(0, 300), bookAround(1, 50)])]);
  equal(orders.length, 4);
  for (const order of orders) {
    if (order.type !== "PLACE_ORDER_LIMIT") throw new Error("expected limit orders");
    equal(order.postOnly && order.timeInForce === 1 && order.expiryPeriod === 60e9, true);
    if (order.bookId === 0) {
      equal(order.direction === 0 ? order.price <= 299.99 : order.price >= 300.01, true);
    }
  }
});

Deno.test("random maker pulls its orders when the maker rate is too high", () => {
  const state = stateWith([bookAround(0, 300)], {
    accounts: { 0: account(0, { o: [5, 6], f: { v: 0, m: 0.006, t: 0 } }) },
  });
  const [orders] = run(randomMaker, [state]);
  deepEqual(orders.map((order) => order.type), ["CANCEL_ORDERS"]);
});

Deno.test("random taker is seeded: the same seed sends the same orders", () => {
  const states = Array.from(
    { length: 20 },
    () => stateWith([bookAround(0, 300), bookAround(1, 50)]),
  );
  const first = run(randomTaker, states);
  deepEqual(run(randomTaker, states), first);
  const all = first.flat();
  equal(all.length > 0 && all.every((order) => order.type === "PLACE_ORDER_MARKET"), true);
});

Deno.test("imbalance trader buys into bid pressure and sells into ask pressure", () => {
  const [orders] = run(imbalanceTrader, [stateWith([
    bookAround(0, 300, { bidVolume: 9, askVolume: 1 }),
    bookAround(1, 50, { bidVolume: 1, askVolume: 9 }),
  ])]);
  deepEqual(orders.map((o) => o.type === "PLACE_ORDER_MARKET" && [o.bookId, o.direction]), [
    [0, 0],
    [1, 1],
  ]);
});

Deno.test("online ridge learns a persistent momentum and the agent trades it", () => {
  const model = new OnlineRidge(1, 0.1, 0);
  for (let i = 0; i < 500; i++) model.learn([1], 0.8);
  equal(Math.abs(model.predict([1]) - 0.8) < 0.01, true);

  // A steady 1% rise per step: the model learns to expect more of it and buys
  // (once its volatility estimate has a minute of returns).
  const states = Array.from(
    { length: 120 },
    (_, step) => stateWith([bookAround(0, 100 * 1.01 ** step)]),
  );
  const orders = run(onlineRegression, states).flat();
  equal(orders.length > 0, true);
  equal(orders.every((order) => order.type === "PLACE_ORDER_LIMIT" && order.direction === 0), true);
});
