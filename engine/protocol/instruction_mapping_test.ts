import { deepEqual } from "node:assert/strict";
import { filterAgentResponse } from "@/engine/protocol/agent_response.ts";
import { toEngineInstructions } from "@/engine/protocol/instruction_mapping.ts";

Deno.test("τaos instructions become exchange instructions on the 8-decimal wire grid", () => {
  const { accepted } = filterAgentResponse({
    agent_id: 2,
    instructions: [
      {
        type: "PLACE_ORDER_LIMIT",
        bookId: 0,
        direction: 1,
        price: 300.12,
        volume: 0.3,
        leverage: 2,
        delay: 5,
      },
      {
        type: "PLACE_ORDER_MARKET",
        bookId: 1,
        direction: 0,
        volume: 100,
        currency: 1,
        max_slippage: 0.01,
      },
      {
        type: "CANCEL_ORDERS",
        bookId: 0,
        cancellations: [{ orderId: 7 }, { orderId: 8, volume: 0.1 }],
      },
      { type: "CLOSE_POSITIONS", bookId: 0, closes: [{ orderId: 9 }] },
    ],
  }, { uid: 2, bookCount: 2, maxInstructionsPerBook: 5, isOverVolumeCap: () => false });
  deepEqual(toEngineInstructions(accepted, [10, 20, 30, 40]), [
    {
      agentId: 2,
      bookId: 0,
      delayNs: 15,
      kind: "limit",
      side: 1,
      price: 30_012_000_000,
      quantity: 30_000_000,
      clientOrderId: undefined,
      timeInForce: 0,
      expiryNs: undefined,
      postOnly: false,
      stp: 1,
      leverage: 200,
    },
    {
      agentId: 2,
      bookId: 1,
      delayNs: 20,
      kind: "market",
      side: 0,
      quantity: 10_000_000_000,
      quantityInQuote: true,
      clientOrderId: undefined,
      maxSlippageBps: 100,
      stp: 1,
    },
    { agentId: 2, bookId: 0, delayNs: 30, kind: "cancel", orderId: 7, quantity: 0 },
    { agentId: 2, bookId: 0, delayNs: 30, kind: "cancel", orderId: 8, quantity: 10_000_000 },
    { agentId: 2, bookId: 0, delayNs: 40, kind: "closePosition", orderId: 9 },
  ]);
});
