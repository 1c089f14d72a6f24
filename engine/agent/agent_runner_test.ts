import { deepEqual, equal, throws } from "node:assert/strict";
import type { Agent } from "@/engine/agent/agent.ts";
import { AgentRunner } from "@/engine/agent/agent_runner.ts";
import { filterAgentResponse } from "@/engine/protocol/agent_response.ts";
import { bookAround, stateWith } from "@/tests/fixtures/state_updates.ts";

Deno.test("notices reach the hooks in order before the agent responds", () => {
  const calls: string[] = [];
  const runner = new AgentRunner((context) => {
    calls.push(`start uid ${context.uid} volume ${context.params.volume}`);
    const agent: Agent = {
      onAccepted: (notice) => calls.push(`accepted ${notice.o}`),
      onTrade: (notice) => calls.push(`trade ${notice.i}`),
      end: () => calls.push("end"),
      respond: (state, orders) => {
        calls.push(`respond ${state.timestamp}`);
        orders.limit({ bookId: 0, side: 0, price: 299.5, volume: 1 });
      },
    };
    return agent;
  }, { uid: 4, params: { volume: "2" } });

  const response = runner.handle(stateWith([bookAround(0, 300)], {
    timestamp: 5,
    notices: [
      { y: "RDPOL", t: 1, b: 0, o: 11, c: null, s: 0, q: 1, p: 299, u: true, m: "" },
      {
        y: "ET",
        t: 2,
        b: 0,
        i: 12,
        s: 1,
        p: 299,
        q: 1,
        Ti: 13,
        Ta: 2,
        Tf: 0,
        Mi: 11,
        Ma: 4,
        Mf: 0,
      },
    ],
  }));
  deepEqual(calls, ["start uid 4 volume 2", "accepted 11", "trade 12", "respond 5"]);
  const filtered = filterAgentResponse(response, {
    uid: 4,
    bookCount: 1,
    maxInstructionsPerBook: 5,
    isOverVolumeCap: () => false,
  });
  deepEqual(filtered.refused, []);
  equal(filtered.accepted[0].type, "PLACE_ORDER_LIMIT");
});

Deno.test("the first state must carry the config", () => {
  const runner = new AgentRunner(() => ({ respond() {} }), { uid: 1 });
  throws(() => runner.handle(stateWith([], { config: undefined })), /carried no config/);
});

Deno.test("ESE ends the agent without a response; the next simulation starts a new one", () => {
  const calls: string[] = [];
  const runner = new AgentRunner((context) => {
    calls.push(`start duration ${context.config.duration}`);
    return {
      onReset: (notice) => calls.push(`reset ${notice.r[0].m}`),
      end: () => calls.push("end"),
      respond: (state, orders) => {
        calls.push(`respond ${state.timestamp}`);
        orders.limit({ bookId: 0, side: 0, price: 299.5, volume: 1 });
      },
    };
  }, { uid: 4 });
  const first = stateWith([bookAround(0, 300)], { timestamp: 1 });
  runner.handle(first);
  const last = runner.handle(stateWith([bookAround(0, 300)], {
    timestamp: 2,
    config: undefined,
    notices: [{ y: "ESE", t: 2 }],
  }));
  deepEqual(last.instructions, []);
  runner.handle(stateWith([bookAround(0, 300)], {
    timestamp: 3,
    config: { ...first.config!, duration: 7e9 },
    notices: [{ y: "ESS", t: 3 }, { y: "RDRA", t: 3, r: [{ u: true, m: "fresh" }] }],
  }));
  deepEqual(calls, [
    `start duration ${first.config!.duration}`,
    "respond 1",
    "end",
    "start duration 7000000000",
    "reset fresh",
    "respond 3",
  ]);
});
