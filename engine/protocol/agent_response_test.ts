import { deepEqual, equal, throws } from "node:assert/strict";
import {
  filterAgentResponse,
  ResponseError,
  type ResponseRules,
  Stp,
  TimeInForce,
} from "@/engine/protocol/agent_response.ts";

const rules: ResponseRules = {
  uid: 7,
  bookCount: 4,
  maxInstructionsPerBook: 5,
  isOverVolumeCap: (bookId) => bookId === 3,
};

const limit = (fields: Record<string, unknown> = {}) => ({
  type: "PLACE_ORDER_LIMIT",
  agentId: 7,
  bookId: 0,
  direction: 0,
  volume: 1.5,
  price: 300.25,
  ...fields,
});

Deno.test("a well-formed response decodes with τaos defaults", () => {
  const { accepted, refused } = filterAgentResponse({
    agent_id: 7,
    instructions: [
      limit({ stpFlag: 0, clientOrderId: 12 }),
      {
        type: "PLACE_ORDER_MARKET",
        bookId: 1,
        direction: 1,
        volume: 100,
        currency: 1,
        max_slippage: 0.01,
      },
      {
        type: "CANCEL_ORDERS",
        bookId: 0,
        cancellations: [{ orderId: 4 }, { orderId: 5, volume: 0.5 }],
      },
      { type: "CLOSE_POSITIONS", bookId: 2, closes: [{ orderId: 9, volume: 1 }], delay: 1000 },
    ],
  }, rules);
  deepEqual(refused, []);
  deepEqual(accepted[0], {
    agentId: 7,
    delay: 0,
    bookId: 0,
    type: "PLACE_ORDER_LIMIT",
    direction: 0,
    volume: 1.5,
    price: 300.25,
    clientOrderId: 12,
    stpFlag: Stp.CancelOldest, // NO_STP is forced to CANCEL_OLDEST, as τaos does
    leverage: 0,
    settleFlag: -1,
    postOnly: false,
    timeInForce: TimeInForce.Gtc,
    expiryPeriod: null,
  });
  equal(accepted[1].type === "PLACE_ORDER_MARKET" && accepted[1].currency, 1);
  deepEqual(accepted[2].type === "CANCEL_ORDERS" && accepted[2].cancellations, [
    { orderId: 4, volume: null },
    { orderId: 5, volume: 0.5 },
  ]);
  equal(accepted[3].delay, 1000);
});

Deno.test("bad instructions are refused one by one, naming the field and the limit", () => {
  const { accepted, refused } = filterAgentResponse({
    agent_id: 7,
    instructions: [
      limit({ price: -1 }),
      limit({ bookId: 9 }),
      limit({ timeInForce: TimeInForce.Ioc, postOnly: true }),
      limit({ timeInForce: TimeInForce.Gtt }),
      { type: "CANCEL_ORDERS", bookId: 0, cancellations: [] },
      { type: "TELEPORT", bookId: 0 },
      "not a map",
      limit(),
    ],
  }, rules);
  equal(accepted.length, 1);
  deepEqual(refused.map((r) => [r.index, r.message]), [
    [0, "Invalid instructions[0].price: must be a number above 0"],
    [1, "Invalid instructions[1].bookId: must be an integer from 0 to 3"],
    [2, "Invalid instructions[2].postOnly: cannot be true for IOC or FOK orders"],
    [3, "Invalid instructions[3].expiryPeriod: is required for GTT orders"],
    [4, "Invalid instructions[4].cancellations: must list at least one order"],
    [
      5,
      "Invalid instructions[5].type: must be PLACE_ORDER_LIMIT, PLACE_ORDER_MARKET, CANCEL_ORDERS or CLOSE_POSITIONS",
    ],
    [6, "Invalid instructions[6]: must be a map"],
  ]);
});

Deno.test("only the first five instructions per book pass, and only cancels over the volume cap", () => {
  const { accepted, refused } = filterAgentResponse({
    agent_id: 7,
    instructions: [
      ...Array.from({ length: 6 }, () => limit()),
      limit({ bookId: 1 }),
      limit({ bookId: 3 }),
      { type: "CANCEL_ORDERS", bookId: 3, cancellations: [{ orderId: 1 }] },
    ],
  }, rules);
  deepEqual(accepted.map((i) => i.bookId), [0, 0, 0, 0, 0, 1, 3]);
  equal(accepted.at(-1)?.type, "CANCEL_ORDERS");
  deepEqual(refused.map((r) => r.index), [5, 7]);
  equal(refused[0].message.includes("already has 5 instructions"), true);
  equal(refused[1].message.includes("over the volume cap on book 3"), true);
});

Deno.test("responses that impersonate or reset are dropped whole", () => {
  throws(() => filterAgentResponse({ agent_id: 8, instructions: [] }, rules), {
    name: "ResponseError",
    message: "Cannot accept response: agent_id 8 is not uid 7",
  });
  throws(
    () =>
      filterAgentResponse({ agent_id: 7, instructions: [limit(), limit({ agentId: 3 })] }, rules),
    /instructions\[1\]\.agentId 3 is not uid 7/,
  );
  throws(
    () =>
      filterAgentResponse(
        { agent_id: 7, instructions: [{ type: "RESET_AGENT", agentIds: [1] }] },
        rules,
      ),
    ResponseError,
  );
  throws(
    () => filterAgentResponse([1, 2], rules),
    /Cannot read response: Invalid response: must be a map/,
  );
  throws(
    () => filterAgentResponse({ agent_id: 7, instructions: new Array(1001).fill(limit()) }, rules),
    /must be a list of at most 1000 items/,
  );
});
