/**
 * Byte layouts of the records that cross the native boundary, mirrored from
 * native/exchange/records.h (the C++ side pins them with static_asserts; the
 * FFI backend checks the sizes against the library's at load time).
 *
 * 64-bit integers are read and written as two 32-bit halves: ticks, lots,
 * ids, quote units and nanoseconds stay below 2^53 in practice, so plain
 * numbers hold them exactly and the hot path avoids BigInt.
 *
 * @module
 */
import {
  type Account,
  type BookConfig,
  type BookEvent,
  type CancelReason,
  type DepthLevel,
  type DepthOrder,
  type DepthSnapshot,
  type Instruction,
  type Notice,
  type OrderPlacedEvent,
  type RejectCode,
  rejectMessage,
  type Side,
} from "@/engine/book_records.ts";

export const INSTRUCTION_BYTES = 64;
export const RECORD_BYTES = 80;
export const BOOK_CONFIG_BYTES = 176;
export const ACCOUNT_BYTES = 136;
/** Depth header, level and order records are all 24 bytes. */
export const DEPTH_ENTRY_BYTES = 24;
const MAX_FEE_TIERS = 4;

const InstructionKindCode = { limit: 1, market: 2, cancel: 3, closePosition: 4 } as const;
const RecordKindCode = {
  placed: 1,
  trade: 2,
  cancelled: 3,
  accepted: 4,
  rejected: 5,
  positionClosed: 6,
} as const;
const FeePolicyCode = { static: 0, tiered: 1, dynamic: 2 } as const;
const FLAG_POST_ONLY = 1;
const FLAG_QUANTITY_IN_QUOTE = 2;

const TWO_POW_32 = 2 ** 32;

function setInt64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value >>> 0, true);
  view.setInt32(offset + 4, Math.floor(value / TWO_POW_32), true);
}

function getInt64(view: DataView, offset: number): number {
  return view.getInt32(offset + 4, true) * TWO_POW_32 + view.getUint32(offset, true);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Writes `instructions` as consecutive 64-byte Instruction records into `bytes`. */
export function encodeInstructions(instructions: readonly Instruction[], bytes: Uint8Array): void {
  const view = viewOf(bytes);
  bytes.fill(0, 0, instructions.length * INSTRUCTION_BYTES);
  instructions.forEach((instruction, index) => {
    const at = index * INSTRUCTION_BYTES;
    view.setUint8(at, InstructionKindCode[instruction.kind]);
    view.setUint32(at + 8, instruction.bookId, true);
    view.setInt32(at + 12, instruction.agentId, true);
    view.setUint32(at + 16, instruction.clientOrderId ?? 0, true);
    setInt64(view, at + 24, instruction.delayNs ?? 0);
    switch (instruction.kind) {
      case "limit":
        view.setUint8(at + 1, instruction.side);
        view.setUint8(at + 2, instruction.timeInForce ?? 0);
        view.setUint8(at + 3, instruction.stp ?? 0);
        view.setUint8(at + 4, instruction.postOnly ? FLAG_POST_ONLY : 0);
        view.setUint16(at + 6, instruction.leverage ?? 0, true);
        setInt64(view, at + 32, instruction.price);
        setInt64(view, at + 40, instruction.quantity);
        setInt64(view, at + 56, instruction.expiryNs ?? 0);
        break;
      case "market":
        view.setUint8(at + 1, instruction.side);
        view.setUint8(at + 3, instruction.stp ?? 0);
        view.setUint8(at + 4, instruction.quantityInQuote ? FLAG_QUANTITY_IN_QUOTE : 0);
        view.setUint32(at + 20, instruction.maxSlippageBps ?? 0, true);
        setInt64(view, at + 40, instruction.quantity);
        break;
      case "cancel":
        setInt64(view, at + 40, instruction.quantity ?? 0);
        setInt64(view, at + 48, instruction.orderId);
        break;
      case "closePosition":
        setInt64(view, at + 48, instruction.orderId);
        break;
    }
  });
}

/** Writes `configs` as consecutive 176-byte BookConfig records. */
export function encodeBookConfigs(configs: readonly BookConfig[]): Uint8Array {
  const bytes = new Uint8Array(configs.length * BOOK_CONFIG_BYTES);
  const view = viewOf(bytes);
  configs.forEach((config, index) => {
    const at = index * BOOK_CONFIG_BYTES;
    const fees = config.fees;
    view.setUint8(at, config.priceDecimals);
    view.setUint8(at + 1, config.volumeDecimals);
    view.setUint8(at + 2, FeePolicyCode[fees.type]);
    view.setUint32(at + 4, config.maxOpenOrders, true);
    setInt64(view, at + 8, config.minOrderLots);
    setInt64(view, at + 16, fees.makerRate);
    setInt64(view, at + 24, fees.takerRate);
    if (fees.type === "dynamic") {
      setInt64(view, at + 32, fees.maxMakerRate);
      setInt64(view, at + 40, fees.maxTakerRate);
      setInt64(view, at + 48, fees.targetMtr);
      view.setUint32(at + 56, fees.historySlots, true);
    }
    view.setUint32(at + 60, config.maxLeverage, true);
    setInt64(view, at + 64, config.maxLoan);
    setInt64(view, at + 72, config.maintenanceMargin);
    if (fees.type === "tiered") {
      if (fees.tiers.length > MAX_FEE_TIERS) {
        throw new RangeError(
          `Cannot encode book ${index}: ${fees.tiers.length} fee tiers, at most ${MAX_FEE_TIERS}`,
        );
      }
      view.setUint8(at + 3, fees.tiers.length);
      fees.tiers.forEach((tier, tierIndex) => {
        const tierAt = at + 80 + tierIndex * 24;
        setInt64(view, tierAt, tier.volumeRequired);
        setInt64(view, tierAt + 8, tier.makerRate);
        setInt64(view, tierAt + 16, tier.takerRate);
      });
    }
  });
  return bytes;
}

function decodeRecord(
  view: DataView,
  at: number,
  index: number,
  asNotice: boolean,
): BookEvent | Notice {
  const kind = view.getUint8(at);
  const side = view.getUint8(at + 1) as Side;
  const code = view.getUint16(at + 2, true);
  const bookId = view.getUint32(at + 4, true);
  const timeNs = getInt64(view, at + 8);
  const orderId = getInt64(view, at + 16);
  const agentId = view.getInt32(at + 24, true);
  const clientOrderId = view.getUint32(at + 28, true);
  const price = getInt64(view, at + 32);
  const quantity = getInt64(view, at + 40);
  const recipient = view.getInt32(at + 60, true);
  // Notices carry their recipient last; set in place, as a spread copy per record is slow.
  const notice = <T extends object>(record: T) => {
    if (asNotice) (record as T & { recipientAgentId: number }).recipientAgentId = recipient;
    return record;
  };
  switch (kind) {
    case RecordKindCode.placed:
    case RecordKindCode.accepted:
      return notice({
        kind: kind === RecordKindCode.placed ? "placed" as const : "accepted" as const,
        bookId,
        timeNs,
        orderId,
        agentId,
        clientOrderId,
        side,
        priceTicks: price === 0 ? null : price,
        quantityLots: quantity,
      }) as OrderPlacedEvent | Notice;
    case RecordKindCode.trade:
      return notice({
        kind: "trade" as const,
        bookId,
        timeNs,
        side,
        takerOrderId: orderId,
        takerAgentId: agentId,
        clientOrderId,
        makerOrderId: getInt64(view, at + 48),
        makerAgentId: view.getInt32(at + 56, true),
        priceTicks: price,
        quantityLots: quantity,
        takerFee: getInt64(view, at + 64),
        makerFee: getInt64(view, at + 72),
      });
    case RecordKindCode.cancelled:
      return notice({
        kind: "cancelled" as const,
        bookId,
        timeNs,
        orderId,
        agentId,
        clientOrderId,
        side,
        priceTicks: price === 0 ? null : price,
        quantityLots: quantity,
        reason: code as CancelReason,
      });
    case RecordKindCode.rejected:
      return {
        kind: "rejected",
        recipientAgentId: recipient,
        bookId,
        timeNs,
        code: code as RejectCode,
        message: rejectMessage(code),
        agentId,
        orderId,
        clientOrderId,
        side,
        price,
        quantity,
      };
    case RecordKindCode.positionClosed:
      return {
        kind: "positionClosed",
        recipientAgentId: recipient,
        bookId,
        timeNs,
        orderId,
        agentId,
        side,
        reason: code as CancelReason,
        quantityLots: quantity,
        loan: getInt64(view, at + 64),
        repaid: getInt64(view, at + 72),
      };
    default:
      throw new RangeError(`Cannot decode record ${index}: unknown kind ${kind}`);
  }
}

/** Reads `count` consecutive L3 event records from `bytes`. */
export function decodeEvents(bytes: Uint8Array, count: number): BookEvent[] {
  const view = viewOf(bytes);
  return Array.from(
    { length: count },
    (_, index) => decodeRecord(view, index * RECORD_BYTES, index, false) as BookEvent,
  );
}

/** Reads `count` consecutive notice records from `bytes`. */
export function decodeNotices(bytes: Uint8Array, count: number): Notice[] {
  const view = viewOf(bytes);
  return Array.from(
    { length: count },
    (_, index) => decodeRecord(view, index * RECORD_BYTES, index, true) as Notice,
  );
}

/** Reads `count` consecutive AccountRecords. */
export function decodeAccounts(bytes: Uint8Array, count: number): Account[] {
  const view = viewOf(bytes);
  return Array.from({ length: count }, (_, index) => {
    const at = index * ACCOUNT_BYTES;
    const int64 = (field: number) => getInt64(view, at + 8 + 8 * field);
    return {
      agentId: view.getInt32(at, true),
      bookId: view.getUint32(at + 4, true),
      baseTotal: int64(0),
      baseFree: int64(1),
      baseReserved: int64(2),
      quoteTotal: int64(3),
      quoteFree: int64(4),
      quoteReserved: int64(5),
      baseLoan: int64(6),
      quoteLoan: int64(7),
      baseCollateral: int64(8),
      quoteCollateral: int64(9),
      feesPaid: int64(10),
      makerVolume: int64(11),
      takerVolume: int64(12),
      makerRate: int64(13),
      takerRate: int64(14),
      openOrders: view.getUint32(at + 128, true),
      openLoans: view.getUint32(at + 132, true),
    };
  });
}

/** Reads a depth snapshot: header, bid levels, ask levels, then detailed orders. */
export function decodeDepth(bytes: Uint8Array): DepthSnapshot {
  const view = viewOf(bytes);
  const bidLevels = view.getUint32(4, true);
  const askLevels = view.getUint32(8, true);
  const ordersAt = DEPTH_ENTRY_BYTES * (1 + bidLevels + askLevels);
  const order = (index: number): DepthOrder => {
    const at = ordersAt + index * DEPTH_ENTRY_BYTES;
    return {
      orderId: getInt64(view, at),
      quantityLots: getInt64(view, at + 8),
      agentId: view.getInt32(at + 16, true),
      clientOrderId: view.getUint32(at + 20, true),
    };
  };
  const level = (index: number): DepthLevel => {
    const at = DEPTH_ENTRY_BYTES * (1 + index);
    const first = view.getUint32(at + 16, true);
    const count = view.getUint32(at + 20, true);
    const decoded: DepthLevel = {
      priceTicks: getInt64(view, at),
      quantityLots: getInt64(view, at + 8),
    };
    if (count > 0) decoded.orders = Array.from({ length: count }, (_, i) => order(first + i));
    return decoded;
  };
  return {
    bookId: view.getUint32(0, true),
    timeNs: getInt64(view, 16),
    bids: Array.from({ length: bidLevels }, (_, index) => level(index)),
    asks: Array.from({ length: askLevels }, (_, index) => level(bidLevels + index)),
  };
}
