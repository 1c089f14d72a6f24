/**
 * A miner's response to a state update — τaos's `FinanceAgentResponse`
 * (shared/reference/taos.md §3.6) with τaos's wire names — decoded from
 * untrusted input and filtered the way the τaos validator filters it.
 *
 * Whole-response failures (wrong agent id, an instruction for another
 * agent, a RESET_AGENT from a miner) throw; everything else is judged per
 * instruction, so one bad instruction never costs the good ones, and each
 * refusal names the field and the limit.
 *
 * @module
 */
import { TAOS_CAPITAL } from "@/engine/capital.ts";
import {
  FieldError,
  type Fields,
  optional,
  readArray,
  readBoolean,
  readInteger,
  readPositive,
  readRecord,
} from "@/engine/protocol/fields.ts";

/** τaos stpFlag: NO_STP 0, CANCEL_OLDEST 1, CANCEL_NEWEST 2, CANCEL_BOTH 3, DECREASE_CANCEL 4. */
export const Stp = {
  None: 0,
  CancelOldest: 1,
  CancelNewest: 2,
  CancelBoth: 3,
  DecreaseCancel: 4,
} as const;
export type Stp = typeof Stp[keyof typeof Stp];

/** τaos timeInForce: GTC 0, GTT 1, IOC 2, FOK 3. */
export const TimeInForce = { Gtc: 0, Gtt: 1, Ioc: 2, Fok: 3 } as const;
export type TimeInForce = typeof TimeInForce[keyof typeof TimeInForce];

/** τaos settleFlag: NONE −2, FIFO −1, or an order id to repay. */
export const SettleFlag = { None: -2, Fifo: -1 } as const;

interface InstructionBase {
  agentId: number;
  /** Extra delay the miner asks for, ns (added to its latency). */
  delay: number;
  bookId: number;
}

export interface LimitOrderInstruction extends InstructionBase {
  type: "PLACE_ORDER_LIMIT";
  direction: 0 | 1;
  /** Base quantity, in units (wire name `volume`). */
  volume: number;
  price: number;
  clientOrderId: number | null;
  stpFlag: Stp;
  postOnly: boolean;
  timeInForce: TimeInForce;
  /** GTT lifetime in ns; required for GTT. */
  expiryPeriod: number | null;
  leverage: number;
  settleFlag: number;
}

export interface MarketOrderInstruction extends InstructionBase {
  type: "PLACE_ORDER_MARKET";
  direction: 0 | 1;
  /** Quantity in base, or in quote when `currency` is 1. */
  volume: number;
  currency: 0 | 1;
  clientOrderId: number | null;
  stpFlag: Stp;
  leverage: number;
  settleFlag: number;
  /** Largest price move from the touch, as a fraction; 0 = unbounded. */
  maxSlippage: number;
}

export interface CancelOrdersInstruction extends InstructionBase {
  type: "CANCEL_ORDERS";
  /** `volume` null cancels the whole order. */
  cancellations: { orderId: number; volume: number | null }[];
}

export interface ClosePositionsInstruction extends InstructionBase {
  type: "CLOSE_POSITIONS";
  closes: { orderId: number; volume: number | null }[];
}

export type Instruction =
  | LimitOrderInstruction
  | MarketOrderInstruction
  | CancelOrdersInstruction
  | ClosePositionsInstruction;

export interface InstructionRefusal {
  /** Position in the response's instruction list. */
  index: number;
  field: string;
  message: string;
}

export interface ResponseRules {
  /** The responding miner's UID; `agent_id` must equal it. */
  uid: number;
  bookCount: number;
  /** τaos scoring.max_instructions_per_book. */
  maxInstructionsPerBook: number;
  /** Whether the miner is over its volume cap on a book (only cancels pass). */
  isOverVolumeCap: (bookId: number) => boolean;
}

export interface FilteredResponse {
  accepted: Instruction[];
  refused: InstructionRefusal[];
}

/** The whole response is dropped (τaos validator filter). */
export class ResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResponseError";
  }
}

/** Most instructions one response may carry before decoding stops. */
export const MAX_INSTRUCTIONS = 1000;
/** τaos scoring.max_instructions_per_book. */
export const MAX_INSTRUCTIONS_PER_BOOK = 5;
/** τaos volume cap: 10 × miner_wealth of quote traded per book (the validator: per rolling 24 h). */
export const VOLUME_CAP = 10 * TAOS_CAPITAL.wealth;
/** The most a response body may hold after msgpack decoding (`decode(body, RESPONSE_DECODE_LIMITS)`). */
export const RESPONSE_DECODE_LIMITS = {
  maxArrayLength: MAX_INSTRUCTIONS,
  maxMapLength: 64,
  maxStrLength: 256,
} as const;
const MAX_ITEMS_PER_INSTRUCTION = 100;
const MAX_DELAY_NS = 60_000_000_000;
const MAX_LEVERAGE = 100;
const UINT32_MAX = 0xffff_ffff;

/** Decodes and filters a response; throws ResponseError to drop it whole. */
export function filterAgentResponse(raw: unknown, rules: ResponseRules): FilteredResponse {
  let response: Fields;
  let list: unknown[];
  try {
    response = readRecord(raw, "response");
    list = readArray(response.instructions, "instructions", MAX_INSTRUCTIONS);
  } catch (error) {
    throw new ResponseError(`Cannot read response: ${(error as Error).message}`);
  }
  if (response.agent_id !== rules.uid) {
    throw new ResponseError(
      `Cannot accept response: agent_id ${
        JSON.stringify(response.agent_id)
      } is not uid ${rules.uid}`,
    );
  }
  for (const [index, item] of list.entries()) {
    const fields = item as Fields | null;
    if (fields?.type === "RESET_AGENT") {
      throw new ResponseError(
        `Cannot accept response: instructions[${index}] is RESET_AGENT, which only validators send`,
      );
    }
    if (fields?.agentId !== undefined && fields.agentId !== rules.uid) {
      throw new ResponseError(
        `Cannot accept response: instructions[${index}].agentId ${
          JSON.stringify(fields.agentId)
        } is not uid ${rules.uid}`,
      );
    }
  }

  const accepted: Instruction[] = [];
  const refused: InstructionRefusal[] = [];
  const perBook = new Map<number, number>();
  for (const [index, item] of list.entries()) {
    const refuse = (field: string, message: string) => refused.push({ index, field, message });
    let instruction: Instruction;
    try {
      instruction = readInstruction(item, `instructions[${index}]`, rules);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      refuse(error.field, error.message);
      continue;
    }
    const count = perBook.get(instruction.bookId) ?? 0;
    if (count >= rules.maxInstructionsPerBook) {
      refuse(
        `instructions[${index}]`,
        `Skipped instructions[${index}]: book ${instruction.bookId} already has ${rules.maxInstructionsPerBook} instructions (limit per book)`,
      );
      continue;
    }
    if (instruction.type !== "CANCEL_ORDERS" && rules.isOverVolumeCap(instruction.bookId)) {
      refuse(
        `instructions[${index}]`,
        `Skipped instructions[${index}]: over the volume cap on book ${instruction.bookId}, only cancels are accepted`,
      );
      continue;
    }
    perBook.set(instruction.bookId, count + 1);
    accepted.push(instruction);
  }
  return { accepted, refused };
}

function readInstruction(item: unknown, path: string, rules: ResponseRules): Instruction {
  const fields = readRecord(item, path);
  const base: InstructionBase = {
    agentId: rules.uid,
    delay: optional(fields.delay, 0, (v) => readInteger(v, `${path}.delay`, 0, MAX_DELAY_NS)),
    bookId: readInteger(fields.bookId, `${path}.bookId`, 0, rules.bookCount - 1),
  };
  switch (fields.type) {
    case "PLACE_ORDER_LIMIT": {
      const timeInForce = optional(
        fields.timeInForce,
        TimeInForce.Gtc,
        (v) => readInteger(v, `${path}.timeInForce`, 0, 3) as TimeInForce,
      );
      const postOnly = optional(fields.postOnly, false, (v) => readBoolean(v, `${path}.postOnly`));
      if (postOnly && (timeInForce === TimeInForce.Ioc || timeInForce === TimeInForce.Fok)) {
        throw new FieldError(`${path}.postOnly`, "cannot be true for IOC or FOK orders");
      }
      const expiryPeriod = optional<number | null>(
        fields.expiryPeriod,
        null,
        (v) => readInteger(v, `${path}.expiryPeriod`, 1),
      );
      if (timeInForce === TimeInForce.Gtt && expiryPeriod === null) {
        throw new FieldError(`${path}.expiryPeriod`, "is required for GTT orders");
      }
      return {
        ...base,
        ...orderFields(fields, path),
        type: "PLACE_ORDER_LIMIT",
        price: readPositive(fields.price, `${path}.price`),
        postOnly,
        timeInForce,
        expiryPeriod,
      };
    }
    case "PLACE_ORDER_MARKET":
      return {
        ...base,
        ...orderFields(fields, path),
        type: "PLACE_ORDER_MARKET",
        currency: optional(
          fields.currency,
          0,
          (v) => readInteger(v, `${path}.currency`, 0, 1) as 0 | 1,
        ),
        maxSlippage: optional(fields.max_slippage, 0, (v) => {
          if (typeof v !== "number" || !(v >= 0 && v < 1)) {
            throw new FieldError(`${path}.max_slippage`, "must be a number from 0 to below 1");
          }
          return v;
        }),
      };
    case "CANCEL_ORDERS":
      return {
        ...base,
        type: "CANCEL_ORDERS",
        cancellations: targets(fields.cancellations, `${path}.cancellations`),
      };
    case "CLOSE_POSITIONS":
      return { ...base, type: "CLOSE_POSITIONS", closes: targets(fields.closes, `${path}.closes`) };
    default:
      throw new FieldError(
        `${path}.type`,
        "must be PLACE_ORDER_LIMIT, PLACE_ORDER_MARKET, CANCEL_ORDERS or CLOSE_POSITIONS",
      );
  }
}

/** Fields shared by limit and market orders. */
function orderFields(fields: Fields, path: string) {
  return {
    direction: readInteger(fields.direction, `${path}.direction`, 0, 1) as 0 | 1,
    volume: readPositive(fields.volume, `${path}.volume`),
    clientOrderId: optional<number | null>(
      fields.clientOrderId,
      null,
      (v) => readInteger(v, `${path}.clientOrderId`, 0, UINT32_MAX),
    ),
    // τaos's validator forces NO_STP to CANCEL_OLDEST.
    stpFlag: Math.max(
      Stp.CancelOldest,
      optional(fields.stpFlag, Stp.CancelOldest, (v) => readInteger(v, `${path}.stpFlag`, 0, 4)),
    ) as Stp,
    leverage: optional(fields.leverage, 0, (v) => {
      if (typeof v !== "number" || !(v >= 0 && v <= MAX_LEVERAGE)) {
        throw new FieldError(`${path}.leverage`, `must be a number from 0 to ${MAX_LEVERAGE}`);
      }
      return v;
    }),
    settleFlag: optional(
      fields.settleFlag,
      SettleFlag.Fifo,
      (v) => readInteger(v, `${path}.settleFlag`, SettleFlag.None),
    ),
  };
}

function targets(value: unknown, path: string): { orderId: number; volume: number | null }[] {
  const list = readArray(value, path, MAX_ITEMS_PER_INSTRUCTION);
  if (list.length === 0) throw new FieldError(path, "must list at least one order");
  return list.map((item, index) => {
    const target = readRecord(item, `${path}[${index}]`);
    return {
      orderId: readInteger(target.orderId, `${path}[${index}].orderId`),
      volume: optional<number | null>(
        target.volume,
        null,
        (v) => readPositive(v, `${path}[${index}].volume`),
      ),
    };
  });
}
