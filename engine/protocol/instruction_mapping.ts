/**
 * From a miner's filtered response (τaos wire names, decimal prices and
 * volumes; agent_response.ts) to the exchange's instructions (8-decimal
 * wire integers, book_records.ts), with the latency-derived delay of each.
 *
 * Prices and volumes are rounded to the 8-decimal wire grid only; anything
 * off the book's own grid is left for the exchange to reject with τaos's
 * PRICE_INCREMENT_VIOLATED / VOLUME_INCREMENT_VIOLATED codes.
 *
 * @module
 */
import {
  type Instruction as EngineInstruction,
  LEVERAGE_SCALE,
  WIRE_DECIMALS,
} from "@/engine/book_records.ts";
import type { Instruction } from "@/engine/protocol/agent_response.ts";

const WIRE_SCALE = 10 ** WIRE_DECIMALS;
/** Basis points per unit of slippage fraction. */
const BPS = 10_000;

function wire(value: number): number {
  return Math.round(value * WIRE_SCALE);
}

/**
 * The exchange instructions for one miner's accepted instructions;
 * `delaysNs[i]` is instruction i's latency (engine/latency.ts) to which the
 * miner's own requested delay is added. A cancel or close of several orders
 * becomes one exchange instruction per order, all with the same delay.
 */
export function toEngineInstructions(
  instructions: readonly Instruction[],
  delaysNs: readonly number[],
): EngineInstruction[] {
  return instructions.flatMap((instruction, index): EngineInstruction[] => {
    const base = {
      agentId: instruction.agentId,
      bookId: instruction.bookId,
      delayNs: (delaysNs[index] ?? 0) + instruction.delay,
    };
    switch (instruction.type) {
      case "PLACE_ORDER_LIMIT":
        return [{
          ...base,
          kind: "limit",
          side: instruction.direction,
          price: wire(instruction.price),
          quantity: wire(instruction.volume),
          clientOrderId: instruction.clientOrderId ?? undefined,
          timeInForce: instruction.timeInForce,
          expiryNs: instruction.expiryPeriod ?? undefined,
          postOnly: instruction.postOnly,
          stp: instruction.stpFlag,
          leverage: Math.round(instruction.leverage * LEVERAGE_SCALE),
        }];
      case "PLACE_ORDER_MARKET":
        return [{
          ...base,
          kind: "market",
          side: instruction.direction,
          quantity: wire(instruction.volume),
          quantityInQuote: instruction.currency === 1,
          clientOrderId: instruction.clientOrderId ?? undefined,
          maxSlippageBps: Math.round(instruction.maxSlippage * BPS),
          stp: instruction.stpFlag,
        }];
      case "CANCEL_ORDERS":
        return instruction.cancellations.map((target) => ({
          ...base,
          kind: "cancel",
          orderId: target.orderId,
          quantity: target.volume === null ? 0 : wire(target.volume),
        }));
      case "CLOSE_POSITIONS":
        return instruction.closes.map((target) => ({
          ...base,
          kind: "closePosition",
          orderId: target.orderId,
        }));
    }
  });
}
