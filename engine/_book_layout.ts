/**
 * Byte layouts of the records that cross the native boundary, mirrored from
 * native/book/records.h (the C++ side pins them with static_asserts and the
 * ABI round-trip test checks both agree).
 *
 * 64-bit integers are read and written as two 32-bit halves: ticks, lots and
 * ids stay far below 2^53, so plain numbers hold them exactly and the hot
 * path avoids BigInt.
 *
 * @module
 */
import {
  type BookEvent,
  type Command,
  type Depth,
  type DepthLevel,
  type RejectCode,
  Side,
} from "@/engine/book_records.ts";

export const COMMAND_BYTES = 32;
export const EVENT_BYTES = 48;
export const DEPTH_LEVEL_BYTES = 16;

const CommandKindCode = { limit: 1, cancel: 2 } as const;
const EventKindCode = { placed: 1, trade: 2, cancelled: 3, rejected: 4 } as const;

const TWO_POW_32 = 2 ** 32;

function setInt64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value >>> 0, true);
  view.setInt32(offset + 4, Math.floor(value / TWO_POW_32), true);
}

function getInt64(view: DataView, offset: number): number {
  return view.getInt32(offset + 4, true) * TWO_POW_32 + view.getUint32(offset, true);
}

/** Writes `commands` as consecutive command records into `bytes`. */
export function encodeCommands(commands: readonly Command[], bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  commands.forEach((command, index) => {
    const at = index * COMMAND_BYTES;
    view.setUint8(at, CommandKindCode[command.kind]);
    view.setUint16(at + 2, 0, true);
    view.setInt32(at + 4, command.agentId, true);
    if (command.kind === "limit") {
      view.setUint8(at + 1, command.side);
      setInt64(view, at + 8, 0);
      setInt64(view, at + 16, command.priceTicks);
      setInt64(view, at + 24, command.quantityLots);
    } else {
      view.setUint8(at + 1, 0);
      setInt64(view, at + 8, command.orderId);
      setInt64(view, at + 16, 0);
      setInt64(view, at + 24, command.quantityLots ?? 0);
    }
  });
}

/** Reads `count` consecutive event records from `bytes`. */
export function decodeEvents(bytes: Uint8Array, count: number): BookEvent[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: BookEvent[] = [];
  for (let index = 0; index < count; index++) {
    const at = index * EVENT_BYTES;
    const kind = view.getUint8(at);
    const side = view.getUint8(at + 1) as Side;
    const agentId = view.getInt32(at + 4, true);
    const orderId = getInt64(view, at + 8);
    const priceTicks = getInt64(view, at + 24);
    const quantityLots = getInt64(view, at + 32);
    switch (kind) {
      case EventKindCode.placed:
        events.push({ kind: "placed", orderId, agentId, side, priceTicks, quantityLots });
        break;
      case EventKindCode.trade:
        events.push({
          kind: "trade",
          takerOrderId: orderId,
          takerAgentId: agentId,
          makerOrderId: getInt64(view, at + 16),
          makerAgentId: view.getInt32(at + 40, true),
          side,
          priceTicks,
          quantityLots,
        });
        break;
      case EventKindCode.cancelled:
        events.push({ kind: "cancelled", orderId, agentId, side, priceTicks, quantityLots });
        break;
      case EventKindCode.rejected: {
        const code = view.getUint16(at + 2, true) as RejectCode;
        events.push({ kind: "rejected", code, agentId, orderId, side, priceTicks, quantityLots });
        break;
      }
      default:
        throw new RangeError(`Cannot decode event ${index}: unknown kind ${kind}`);
    }
  }
  return events;
}

/** Reads a depth buffer laid out as bids then asks, `maxLevels` slots each. */
export function decodeDepth(
  bytes: Uint8Array,
  maxLevels: number,
  bidLevels: number,
  askLevels: number,
): Depth {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (first: number, count: number): DepthLevel[] =>
    Array.from({ length: count }, (_, index) => {
      const at = (first + index) * DEPTH_LEVEL_BYTES;
      return { priceTicks: getInt64(view, at), quantityLots: getInt64(view, at + 8) };
    });
  return { bids: read(0, bidLevels), asks: read(maxLevels, askLevels) };
}
