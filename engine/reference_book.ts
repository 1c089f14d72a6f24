/**
 * A small, plain-TypeScript exchange for one book: the oracle the native
 * engine (through both backends) is checked against, and the baseline its
 * benchmarks are compared with. Written for clarity, not speed.
 *
 * It reproduces native/exchange/engine.cc's L3 events — same order, order
 * ids, quantities, prices and fees — on this subset of the exchange:
 * - one book (book id 0) with a `static` fee policy (any rates, including
 *   zero and rebates) and no open-order limit (`maxOpenOrders` 0);
 * - agents whose accounts are funded far beyond what they trade, so no
 *   balance rule ever bites (the reference keeps no balances and checks
 *   only that an agent has an account);
 * - limit orders (GTC, IOC, FOK; post-only; every STP mode), market orders
 *   sized in base with no slippage bound, and cancels (whole or partial),
 *   with delays ≥ 0; no GTT, leverage, quote-sized orders or close-position.
 * Instructions outside the subset's features but malformed in a way the
 * engine checks first are rejected like the engine does (unknown account,
 * contradictory flags, non-positive or off-grid prices and quantities,
 * below-minimum size, post-only crossing, unfillable FOK, market on an empty
 * side, cancels of unknown or foreign orders); a rejection emits no L3
 * event and consumes no order id, and `rejections` counts them.
 *
 * Semantics mirrored from the engine: an accepted order gets the next id
 * and its `placed` event comes first, carrying what rests after immediate
 * fills (0 if nothing rests, market orders have a null price); trades are
 * at the maker's price, oldest first within a price, fees
 * `notional × rate / 10^9` truncated toward zero; self-trade prevention
 * cancels the maker (cancel-oldest), the taker (cancel-newest), both, or
 * min(both) (decrease-and-cancel), a taker's self-trade lots are reported
 * in one cancel after matching; an IOC / FOK / market remainder is
 * cancelled with reason `UnfilledRemainder` (or `SelfTrade` when STP
 * stopped it).
 *
 * @module
 */
import {
  type BookConfig,
  type BookEvent,
  type CancelInstruction,
  CancelReason,
  type Instruction,
  type LimitInstruction,
  type MarketInstruction,
  RATE_SCALE,
  SelfTradePrevention,
  Side,
  TimeInForce,
  WIRE_DECIMALS,
} from "@/engine/book_records.ts";

/** Engine::kMaxTicks and kMaxLots: prices and quantities fit 31 bits. */
const MAX_TICKS = 2 ** 31 - 1;
const MAX_LOTS = 2 ** 31 - 1;

interface RestingOrder {
  id: number;
  agentId: number;
  clientOrderId: number;
  side: Side;
  priceTicks: number;
  remainingLots: number;
}

/** A price level: its orders oldest first; cancelled ones stay, with 0 lots, until reached. */
interface Level {
  priceTicks: number;
  totalLots: number;
  orders: RestingOrder[];
  head: number;
}

interface Queued {
  arrivalNs: number;
  instruction: Instruction;
}

export class ReferenceBook {
  readonly #config: BookConfig;
  readonly #priceUnit: number;
  readonly #volumeUnit: number;
  readonly #makerRate: bigint;
  readonly #takerRate: bigint;
  readonly #accounts = new Set<number>();
  /** Per side, levels sorted worst to best: the touch is the last. */
  readonly #levels: [Level[], Level[]] = [[], []];
  readonly #orders = new Map<number, RestingOrder>();
  #queue: Queued[] = [];
  #events: BookEvent[] = [];
  #nextOrderId = 1;
  #nowNs = 0;
  #rejections = 0;

  constructor(config: BookConfig) {
    if (config.fees.type !== "static" || config.maxOpenOrders !== 0) {
      throw new RangeError(
        `Cannot model book config: the reference needs static fees and maxOpenOrders 0, ` +
          `got "${config.fees.type}" fees and maxOpenOrders ${config.maxOpenOrders}`,
      );
    }
    this.#config = config;
    this.#priceUnit = 10 ** (WIRE_DECIMALS - config.priceDecimals);
    this.#volumeUnit = 10 ** (WIRE_DECIMALS - config.volumeDecimals);
    this.#makerRate = BigInt(config.fees.makerRate);
    this.#takerRate = BigInt(config.fees.takerRate);
  }

  get nowNs(): number {
    return this.#nowNs;
  }

  /** Instructions refused so far. */
  get rejections(): number {
    return this.#rejections;
  }

  /** Opens an account; the reference keeps no balances (see the module doc). */
  deposit(agentId: number): void {
    this.#accounts.add(agentId);
  }

  /** Queues instructions to arrive `delayNs` after now. */
  submit(instructions: readonly Instruction[]): void {
    for (const instruction of instructions) {
      const delayNs = Math.max(instruction.delayNs ?? 0, 0);
      this.#queue.push({ arrivalNs: this.#nowNs + delayNs, instruction });
    }
  }

  /** Delivers what arrives before `untilNs` in (arrival, submission) order; returns the L3 events. */
  step(untilNs: number): BookEvent[] {
    const due = this.#queue.filter((queued) => queued.arrivalNs < untilNs);
    this.#queue = this.#queue.filter((queued) => queued.arrivalNs >= untilNs);
    due.sort((a, b) => a.arrivalNs - b.arrivalNs); // stable: submission order within a time
    for (const { arrivalNs, instruction } of due) {
      this.#nowNs = Math.max(this.#nowNs, arrivalNs);
      this.#deliver(instruction);
    }
    this.#nowNs = Math.max(this.#nowNs, untilNs);
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /** Aggregated levels, best first: [priceTicks, quantityLots] pairs. */
  depth(side: Side): [number, number][] {
    return this.#levels[side].toReversed().map((level) => [level.priceTicks, level.totalLots]);
  }

  #deliver(instruction: Instruction): void {
    const outside = outsideSubset(instruction);
    if (outside !== undefined) {
      throw new RangeError(
        `Cannot model instruction: ${outside} is outside the reference's subset`,
      );
    }
    if ((instruction.delayNs ?? 0) < 0 || instruction.bookId !== 0) return this.#reject();
    switch (instruction.kind) {
      case "cancel":
        return this.#cancel(instruction);
      case "limit":
      case "market":
        return this.#place(instruction);
    }
  }

  #reject(): void {
    this.#rejections++;
  }

  #place(instruction: LimitInstruction | MarketInstruction): void {
    const market = instruction.kind === "market";
    const tif = market ? TimeInForce.GTC : instruction.timeInForce ?? TimeInForce.GTC;
    const postOnly = !market && (instruction.postOnly ?? false);
    const stp = instruction.stp ?? SelfTradePrevention.None;
    if (!this.#accounts.has(instruction.agentId)) return this.#reject();
    if (postOnly && (tif === TimeInForce.IOC || tif === TimeInForce.FOK)) return this.#reject();
    if (instruction.quantity <= 0 || instruction.quantity % this.#volumeUnit !== 0) {
      return this.#reject();
    }
    const lots = instruction.quantity / this.#volumeUnit;
    if (lots > MAX_LOTS || lots < Math.max(this.#config.minOrderLots, 1)) return this.#reject();
    const side = instruction.side;
    let limitTicks = side === Side.Buy ? Infinity : 0;
    if (!market) {
      if (instruction.price <= 0 || instruction.price % this.#priceUnit !== 0) {
        return this.#reject();
      }
      limitTicks = instruction.price / this.#priceUnit;
      if (limitTicks > MAX_TICKS) return this.#reject();
    }
    if (market && this.#levels[1 - side].length === 0) return this.#reject();
    if (postOnly && this.#crosses(side, limitTicks)) return this.#reject();
    if (
      tif === TimeInForce.FOK && this.#fillable(side, limitTicks, stp, instruction.agentId) < lots
    ) {
      return this.#reject();
    }
    this.#execute(instruction, side, market ? null : limitTicks, lots, tif, stp);
  }

  #execute(
    instruction: LimitInstruction | MarketInstruction,
    side: Side,
    priceTicks: number | null,
    lots: number,
    tif: TimeInForce,
    stp: SelfTradePrevention,
  ): void {
    const orderId = this.#nextOrderId++;
    const clientOrderId = instruction.clientOrderId ?? 0;
    const { agentId } = instruction;
    const placed = {
      kind: "placed" as const,
      bookId: 0,
      timeNs: this.#nowNs,
      orderId,
      agentId,
      clientOrderId,
      side,
      priceTicks,
      quantityLots: 0,
    };
    this.#events.push(placed);
    const limitTicks = priceTicks ?? (side === Side.Buy ? Infinity : 0);
    const opposite = this.#levels[1 - side];
    let remaining = lots;
    let selfTradeLots = 0;
    let selfTradeStop = false;
    while (remaining > 0 && opposite.length > 0) {
      const level = opposite[opposite.length - 1];
      if (!this.#priceCrosses(side, level.priceTicks, limitTicks)) break;
      const maker = level.orders[level.head];
      if (maker.agentId === agentId && stp !== SelfTradePrevention.None) {
        let makerCancel = 0;
        let takerCancel = 0;
        if (stp === SelfTradePrevention.CancelOldest || stp === SelfTradePrevention.CancelBoth) {
          makerCancel = maker.remainingLots;
        }
        if (stp === SelfTradePrevention.CancelNewest || stp === SelfTradePrevention.CancelBoth) {
          takerCancel = remaining;
          selfTradeStop = true;
        }
        if (stp === SelfTradePrevention.DecreaseAndCancel) {
          makerCancel = takerCancel = Math.min(maker.remainingLots, remaining);
        }
        selfTradeLots += takerCancel;
        remaining -= takerCancel;
        if (makerCancel > 0) this.#cancelResting(maker, makerCancel, CancelReason.SelfTrade);
        if (selfTradeStop) break;
        continue;
      }
      const fill = Math.min(maker.remainingLots, remaining);
      const notional = BigInt(maker.priceTicks * fill);
      this.#events.push({
        kind: "trade",
        bookId: 0,
        timeNs: this.#nowNs,
        side,
        takerOrderId: orderId,
        takerAgentId: agentId,
        clientOrderId,
        makerOrderId: maker.id,
        makerAgentId: maker.agentId,
        priceTicks: maker.priceTicks,
        quantityLots: fill,
        takerFee: Number(notional * this.#takerRate / BigInt(RATE_SCALE)),
        makerFee: Number(notional * this.#makerRate / BigInt(RATE_SCALE)),
      });
      remaining -= fill;
      this.#reduce(maker, fill);
    }
    const cancel = (quantityLots: number, reason: CancelReason) =>
      this.#events.push({
        kind: "cancelled",
        bookId: 0,
        timeNs: this.#nowNs,
        orderId,
        agentId,
        clientOrderId,
        side,
        priceTicks,
        quantityLots,
        reason,
      });
    if (selfTradeLots > 0) cancel(selfTradeLots, CancelReason.SelfTrade);
    const rests = priceTicks !== null && remaining > 0 && !selfTradeStop &&
      tif === TimeInForce.GTC;
    if (rests) {
      placed.quantityLots = remaining;
      this.#rest({
        id: orderId,
        agentId,
        clientOrderId,
        side,
        priceTicks,
        remainingLots: remaining,
      });
    } else if (remaining > 0) {
      cancel(remaining, selfTradeStop ? CancelReason.SelfTrade : CancelReason.UnfilledRemainder);
    }
  }

  #cancel(instruction: CancelInstruction): void {
    const order = this.#orders.get(instruction.orderId);
    const quantity = instruction.quantity ?? 0;
    if (
      order === undefined || order.agentId !== instruction.agentId || quantity < 0 ||
      quantity % this.#volumeUnit !== 0
    ) {
      return this.#reject();
    }
    const requested = quantity / this.#volumeUnit;
    const lots = requested === 0 ? order.remainingLots : Math.min(requested, order.remainingLots);
    this.#cancelResting(order, lots, CancelReason.Requested);
  }

  #cancelResting(order: RestingOrder, lots: number, reason: CancelReason): void {
    this.#events.push({
      kind: "cancelled",
      bookId: 0,
      timeNs: this.#nowNs,
      orderId: order.id,
      agentId: order.agentId,
      clientOrderId: order.clientOrderId,
      side: order.side,
      priceTicks: order.priceTicks,
      quantityLots: lots,
      reason,
    });
    this.#reduce(order, lots);
  }

  /** Takes `lots` off a resting order; removes it (and an emptied level) at zero. */
  #reduce(order: RestingOrder, lots: number): void {
    const levels = this.#levels[order.side];
    const index = this.#levelIndex(order.side, order.priceTicks);
    const level = levels[index];
    order.remainingLots -= lots;
    level.totalLots -= lots;
    if (order.remainingLots === 0) this.#orders.delete(order.id);
    while (level.head < level.orders.length && level.orders[level.head].remainingLots === 0) {
      level.head++;
    }
    if (level.head === level.orders.length) levels.splice(index, 1);
  }

  #rest(order: RestingOrder): void {
    const levels = this.#levels[order.side];
    let index = this.#levelIndex(order.side, order.priceTicks);
    if (levels[index]?.priceTicks !== order.priceTicks) {
      levels.splice(index, 0, { priceTicks: order.priceTicks, totalLots: 0, orders: [], head: 0 });
    }
    index = this.#levelIndex(order.side, order.priceTicks);
    levels[index].orders.push(order);
    levels[index].totalLots += order.remainingLots;
    this.#orders.set(order.id, order);
  }

  /** Where `priceTicks` is or would go among `side`'s levels (worst to best). */
  #levelIndex(side: Side, priceTicks: number): number {
    const levels = this.#levels[side];
    const better = (a: number, b: number) => side === Side.Buy ? a > b : a < b;
    let low = 0;
    let high = levels.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (better(priceTicks, levels[middle].priceTicks)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #priceCrosses(side: Side, makerTicks: number, limitTicks: number): boolean {
    return side === Side.Buy ? makerTicks <= limitTicks : makerTicks >= limitTicks;
  }

  #crosses(side: Side, limitTicks: number): boolean {
    const opposite = this.#levels[1 - side];
    return opposite.length > 0 &&
      this.#priceCrosses(side, opposite[opposite.length - 1].priceTicks, limitTicks);
  }

  /** Lots a FOK order could fill: others' orders, up to the first own one if STP stops there. */
  #fillable(
    side: Side,
    limitTicks: number,
    stp: SelfTradePrevention,
    agentId: number,
  ): number {
    const stops = stp === SelfTradePrevention.CancelNewest ||
      stp === SelfTradePrevention.CancelBoth;
    let lots = 0;
    for (const level of this.#levels[1 - side].toReversed()) {
      if (!this.#priceCrosses(side, level.priceTicks, limitTicks)) break;
      for (const order of level.orders.slice(level.head)) {
        if (order.remainingLots === 0) continue;
        if (stp === SelfTradePrevention.None || order.agentId !== agentId) {
          lots += order.remainingLots;
        } else if (stops) {
          return lots;
        }
      }
    }
    return lots;
  }
}

/** The feature of `instruction` the reference does not model, if any. */
function outsideSubset(instruction: Instruction): string | undefined {
  switch (instruction.kind) {
    case "closePosition":
      return "close-position";
    case "limit":
      if (instruction.timeInForce === TimeInForce.GTT) return "GTT";
      if ((instruction.leverage ?? 0) !== 0) return `leverage ${instruction.leverage}`;
      return undefined;
    case "market":
      if (instruction.quantityInQuote) return "a market order sized in quote";
      if ((instruction.maxSlippageBps ?? 0) !== 0) return "a slippage bound";
      return undefined;
    case "cancel":
      return undefined;
  }
}
