// This module is browser compatible.
/**
 * The live feed's protocol (GET /api/feed, a WebSocket), shared by the
 * server (server/feed/) and the browser (islands/_live_feed.ts).
 *
 * One connection carries any number of channels:
 *
 * | channel                    | carries                                   |
 * | -------------------------- | ----------------------------------------- |
 * | `overview`                 | every book's MarketSummary                |
 * | `book:<id>:ticker`         | one book's TickerSummary                  |
 * | `book:<id>:ladder`         | one book's ladder (LadderData)            |
 * | `book:<id>:trades`         | one book's newest trades                  |
 * | `book:<id>:candles:<int>`  | one book's candles, `<int>` ∈ CANDLE_INTERVALS |
 *
 * The client sends text frames `{"v":1,"type":"subscribe","channels":[…]}`
 * (or `unsubscribe`). The server sends text frames that are JSON arrays of
 * ServerMessage, at most one frame per client every 100 ms (10 Hz): each
 * channel's newest state wins, older ones a slow client missed are dropped.
 * `seq` is the market step a message describes. Trades and candles
 * messages are either a `snapshot` (replace what you have) or an update
 * (merge by trade id / candle time). Anything the server cannot accept is
 * answered with an `error` message that names the offending field.
 *
 * @module
 */
import type { TapeTrade } from "@/engine/market_data/trade_tape.ts";
import type { Candle } from "@/engine/market_data/candle_series.ts";
import {
  CANDLE_INTERVAL_NAMES,
  type CandleInterval,
  isCandleInterval,
} from "@/engine/market_data/candle_interval.ts";
import type {
  LadderData,
  MarketSummary,
  TickerSummary,
} from "@/engine/market_data/book_market_data.ts";

/** Bumped on any incompatible change to the messages below. */
export const FEED_PROTOCOL_VERSION = 1;
/** Where the feed is served. */
export const FEED_PATH = "/api/feed";
/** Largest client frame the server reads, in bytes (UTF-16 code units). */
export const MAX_CLIENT_MESSAGE_BYTES = 4096;
/** Channels one subscribe or unsubscribe message may name. */
export const MAX_CHANNELS_PER_MESSAGE = 32;

export type Channel =
  | { kind: "overview" }
  | { kind: "ticker" | "ladder" | "trades"; bookId: number }
  | { kind: "candles"; bookId: number; interval: CandleInterval };

/** The wire name of `channel`, e.g. "book:3:candles:1m". */
export function channelName(channel: Channel): string {
  if (channel.kind === "overview") return "overview";
  const base = `book:${channel.bookId}:${channel.kind}`;
  return channel.kind === "candles" ? `${base}:${channel.interval}` : base;
}

/** A message the server could not accept, naming the field at fault. */
export class FeedMessageError extends Error {
  /** JSON path of the offending field, e.g. "channels[2]". */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "FeedMessageError";
    this.field = field;
  }
}

const BOOK_CHANNEL = /^book:(0|[1-9]\d{0,5}):(ticker|ladder|trades|candles)(?::(\w+))?$/;

/** Parses a channel name; `field` names where it came from in errors. */
export function parseChannel(name: unknown, field = "channel"): Channel {
  if (typeof name !== "string") {
    throw new FeedMessageError(field, `Invalid ${field}: expected a channel name string`);
  }
  if (name === "overview") return { kind: "overview" };
  const match = BOOK_CHANNEL.exec(name);
  if (match === null) {
    throw new FeedMessageError(
      field,
      `Invalid ${field} "${
        name.slice(0, 64)
      }": expected "overview" or "book:<id>:<ticker|ladder|trades|candles:<interval>>"`,
    );
  }
  const bookId = Number(match[1]);
  const kind = match[2] as Exclude<Channel["kind"], "overview">;
  const interval = match[3];
  if (kind !== "candles") {
    if (interval !== undefined) {
      throw new FeedMessageError(
        field,
        `Invalid ${field} "${name}": only candles take an interval`,
      );
    }
    return { kind, bookId };
  }
  if (interval === undefined || !isCandleInterval(interval)) {
    throw new FeedMessageError(
      field,
      `Invalid ${field} "${name}": the interval must be one of ${CANDLE_INTERVAL_NAMES.join(", ")}`,
    );
  }
  return { kind, bookId, interval };
}

export interface SubscriptionMessage {
  v: typeof FEED_PROTOCOL_VERSION;
  type: "subscribe" | "unsubscribe";
  /** Channel names, as channelName() writes them. */
  channels: string[];
}

export type ClientMessage = SubscriptionMessage;

/**
 * Reads one client frame; throws a FeedMessageError naming the field that
 * is missing or wrong. Channel names are checked with parseChannel.
 */
export function parseClientMessage(
  text: string,
): { type: ClientMessage["type"]; channels: Channel[] } {
  if (text.length > MAX_CLIENT_MESSAGE_BYTES) {
    throw new FeedMessageError(
      "message",
      `Invalid message: ${text.length} bytes is over the limit of ${MAX_CLIENT_MESSAGE_BYTES}`,
    );
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new FeedMessageError("message", "Invalid message: not JSON");
  }
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    throw new FeedMessageError("message", "Invalid message: expected a JSON object");
  }
  const { v, type, channels } = message as Record<string, unknown>;
  if (v !== FEED_PROTOCOL_VERSION) {
    throw new FeedMessageError(
      "v",
      `Invalid v ${
        JSON.stringify(v) ?? "undefined"
      }: this server speaks feed protocol ${FEED_PROTOCOL_VERSION}`,
    );
  }
  if (type !== "subscribe" && type !== "unsubscribe") {
    throw new FeedMessageError(
      "type",
      `Invalid type ${JSON.stringify(type) ?? "undefined"}: expected "subscribe" or "unsubscribe"`,
    );
  }
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new FeedMessageError(
      "channels",
      "Invalid channels: expected a non-empty array of channel names",
    );
  }
  if (channels.length > MAX_CHANNELS_PER_MESSAGE) {
    throw new FeedMessageError(
      "channels",
      `Invalid channels: ${channels.length} is over the limit of ${MAX_CHANNELS_PER_MESSAGE} per message`,
    );
  }
  return {
    type,
    channels: channels.map((name, index) => parseChannel(name, `channels[${index}]`)),
  };
}

interface DataMessage<T extends string> {
  v: typeof FEED_PROTOCOL_VERSION;
  type: T;
  channel: string;
  /** The market step the message describes. */
  seq: number;
  /** When the server published that step, Unix ms (fractional). */
  t: number;
}

export interface OverviewMessage extends DataMessage<"overview"> {
  books: MarketSummary[];
}

export interface TickerMessage extends DataMessage<"ticker"> {
  summary: TickerSummary;
}

export interface LadderMessage extends DataMessage<"ladder"> {
  ladder: LadderData;
}

export interface TradesMessage extends DataMessage<"trades"> {
  bookId: number;
  /** Replace the tape (true) or merge by trade id (false). */
  snapshot: boolean;
  /** Newest first. */
  trades: TapeTrade[];
}

export interface CandlesMessage extends DataMessage<"candles"> {
  bookId: number;
  interval: CandleInterval;
  /** Replace the series (true) or merge by candle time (false). */
  snapshot: boolean;
  /** Oldest first, prices in ticks and volumes in lots. */
  candles: Candle[];
}

export interface ErrorMessage {
  v: typeof FEED_PROTOCOL_VERSION;
  type: "error";
  /** The offending field of the client's message, e.g. "channels[0]". */
  field: string;
  message: string;
}

export type ServerMessage =
  | OverviewMessage
  | TickerMessage
  | LadderMessage
  | TradesMessage
  | CandlesMessage
  | ErrorMessage;
