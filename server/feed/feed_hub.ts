/**
 * The live feed's server: one WebSocket per viewer (GET /api/feed) carrying
 * any number of channels (engine/market_data/feed_messages.ts), fanned out
 * from the market data service after every market step.
 *
 * Per step, each followed channel is encoded once; each connection then
 * gets one frame with the newest message of each of its changed channels,
 * paced and conflated by FeedConnection. Bad client messages get an
 * `error` message naming the field; too many close the connection.
 *
 * @module
 */
import {
  type Channel,
  channelName,
  type ErrorMessage,
  FEED_PROTOCOL_VERSION,
  FeedMessageError,
  parseClientMessage,
} from "@/engine/market_data/mod.ts";
import type { MarketDataService } from "@/server/feed/market_data_service.ts";
import { LiveChannel } from "@/server/feed/live_channel.ts";
import {
  type FeedChannel,
  FeedConnection,
  type FeedSocket,
  type FrameCache,
} from "@/server/feed/feed_connection.ts";
import {
  CLOSE_GOING_AWAY,
  DEFAULT_FEED_LIMITS,
  type FeedLimits,
} from "@/server/feed/feed_limits.ts";

export interface FeedHubOptions {
  limits?: Partial<FeedLimits>;
  /** Where dropped clients are reported. */
  log?: (line: string) => void;
  /** Monotonic milliseconds. @default performance.now */
  now?: () => number;
}

/** Seconds without a pong before Deno closes an idle socket. */
const IDLE_TIMEOUT_S = 60;
/** Where the overview channel is filed among the per-book channel groups. */
const OVERVIEW_GROUP = -1;

export class FeedHub {
  readonly limits: FeedLimits;
  readonly #data: MarketDataService;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #connections = new Set<FeedConnection>();
  readonly #channels = new Map<string, FeedChannel>();
  readonly #channelsByBook = new Map<number, Set<FeedChannel>>();
  readonly #stopListening: () => void;
  /** Clients dropped for being too slow, since start. */
  droppedClients = 0;

  constructor(data: MarketDataService, options: FeedHubOptions = {}) {
    this.#data = data;
    this.limits = { ...DEFAULT_FEED_LIMITS, ...options.limits };
    this.#log = options.log ?? console.log;
    this.#now = options.now ?? (() => performance.now());
    this.#stopListening = data.onUpdate((bookIds, publishedAt) =>
      this.#publish(bookIds, publishedAt)
    );
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Channels followed by at least one client. */
  get channelCount(): number {
    return this.#channels.size;
  }

  /** Answers a WebSocket upgrade request with a feed connection. */
  upgrade(request: Request): Response {
    const { socket, response } = Deno.upgradeWebSocket(request, { idleTimeout: IDLE_TIMEOUT_S });
    let connection: FeedConnection | null = null;
    socket.onopen = () => connection = this.connect(socket);
    socket.onmessage = (event) => {
      if (connection !== null && !connection.closed) this.receive(connection, event.data);
    };
    socket.onclose = () => connection?.disconnected();
    socket.onerror = () => connection?.disconnected();
    return response;
  }

  /** Starts serving `socket` (an open WebSocket, or a fake in tests). */
  connect(socket: FeedSocket): FeedConnection {
    const connection = new FeedConnection(socket, this.limits, this.#now, (closed, reason) => {
      this.#connections.delete(closed);
      for (const channel of closed.subscriptions.keys()) this.#leave(closed, channel);
      if (reason !== null) {
        this.droppedClients++;
        this.#log(`Feed client dropped: ${reason}`);
      }
    });
    this.#connections.add(connection);
    return connection;
  }

  /** Handles one client frame: subscribe, unsubscribe, or an error reply. */
  receive(connection: FeedConnection, data: unknown): void {
    try {
      if (typeof data !== "string") {
        throw new FeedMessageError("message", "Invalid message: expected a text frame with JSON");
      }
      const message = parseClientMessage(data);
      if (message.type === "subscribe") this.#subscribe(connection, message.channels);
      else for (const channel of message.channels) this.#unsubscribe(connection, channel);
    } catch (error) {
      if (!(error instanceof FeedMessageError)) throw error;
      const reply: ErrorMessage = {
        v: FEED_PROTOCOL_VERSION,
        type: "error",
        field: error.field,
        message: error.message,
      };
      connection.sendNow(reply);
      if (++connection.rejectedMessages >= this.limits.maxRejectedMessages) {
        connection.close(`Too many rejected messages (${connection.rejectedMessages})`);
      }
    }
  }

  /** Closes every connection and stops listening to the market data. */
  close(): void {
    this.#stopListening();
    for (const connection of [...this.#connections]) connection.close(null, CLOSE_GOING_AWAY);
  }

  #subscribe(connection: FeedConnection, channels: Channel[]): void {
    channels.forEach((channel, index) => {
      if (channel.kind !== "overview" && !this.#data.has(channel.bookId)) {
        throw new FeedMessageError(
          `channels[${index}]`,
          `Unknown book ${channel.bookId} in channels[${index}]: books are 0 to ${
            this.#data.bookCount - 1
          }`,
        );
      }
    });
    const followed = new Set([...connection.subscriptions.keys()].map((live) => live.name));
    const adding = new Map<string, Channel>();
    for (const channel of channels) {
      const name = channelName(channel);
      if (!followed.has(name)) adding.set(name, channel);
    }
    const total = followed.size + adding.size;
    if (total > this.limits.maxChannelsPerClient) {
      throw new FeedMessageError(
        "channels",
        `Invalid channels: ${total} channels is over the limit of ${this.limits.maxChannelsPerClient} per client`,
      );
    }
    for (const channel of adding.values()) {
      const live = this.#channel(channel);
      live.subscribers.add(connection);
      connection.subscriptions.set(live, undefined);
      connection.markDirty(live);
    }
    connection.flush(true);
  }

  #unsubscribe(connection: FeedConnection, channel: Channel): void {
    const live = this.#channels.get(channelName(channel));
    if (live === undefined || !connection.subscriptions.has(live)) return;
    connection.forget(live);
    this.#leave(connection, live);
  }

  #channel(channel: Channel): FeedChannel {
    const name = channelName(channel);
    let live = this.#channels.get(name);
    if (live === undefined) {
      live = new LiveChannel<FeedConnection>(channel, this.#data);
      this.#channels.set(name, live);
      const key = live.bookId ?? OVERVIEW_GROUP;
      let group = this.#channelsByBook.get(key);
      if (group === undefined) this.#channelsByBook.set(key, group = new Set());
      group.add(live);
    }
    return live;
  }

  #leave(connection: FeedConnection, live: FeedChannel): void {
    live.subscribers.delete(connection);
    if (live.subscribers.size > 0) return;
    this.#channels.delete(live.name);
    const key = live.bookId ?? OVERVIEW_GROUP;
    const group = this.#channelsByBook.get(key);
    group?.delete(live);
    if (group?.size === 0) this.#channelsByBook.delete(key);
  }

  #publish(bookIds: readonly number[], publishedAt: number): void {
    const touched = new Set<FeedConnection>();
    const publish = (live: FeedChannel, seq: number) => {
      live.publish(seq, publishedAt);
      for (const connection of live.subscribers) {
        connection.markDirty(live);
        touched.add(connection);
      }
    };
    let newestStep = 0;
    for (const bookId of bookIds) {
      const step = this.#data.book(bookId).step;
      newestStep = Math.max(newestStep, step);
      for (const live of this.#channelsByBook.get(bookId) ?? []) publish(live, step);
    }
    for (const live of this.#channelsByBook.get(OVERVIEW_GROUP) ?? []) publish(live, newestStep);
    const frames: FrameCache = new Map();
    for (const connection of touched) connection.flush(false, frames);
  }
}
