/**
 * The page's side of the live feed: one WebSocket (GET /api/feed) shared by
 * every island on the page, with channels counted so two islands following
 * the same channel share it. The socket is opened by the page's head
 * (islands/_feed_socket_script.tsx) and adopted here; when it drops it
 * reconnects with backoff and follows the same channels again, so the
 * islands see a "reconnecting" status and then fresh snapshots.
 *
 * Frames are parsed on the page: at 10 Hz a frame is a few kilobytes of
 * JSON, well under a millisecond, while a worker to parse them put a thread
 * start and a fetch on the path to the first update.
 *
 * Messages are handed to listeners once per animation frame, inside one
 * signals batch, so the islands re-render at most once per frame however
 * frames and channels interleave: 10 Hz updates never queue up work.
 *
 * @module
 */
import { batch, signal } from "@preact/signals";
import {
  FEED_PATH,
  FEED_PROTOCOL_VERSION,
  type ServerMessage,
  type SubscriptionMessage,
} from "@/engine/market_data/feed_messages.ts";
import { EARLY_FEED, type EarlyFeed } from "@/islands/_feed_socket_script.tsx";

type Listener = (message: ServerMessage) => void;

export type FeedStatus = "connecting" | "live" | "reconnecting";

/** The connection's state, for the islands' status lines. */
export const feedStatus = signal<FeedStatus>("connecting");

/** First reconnect delay; it doubles per failed attempt up to MAX_RECONNECT_MS. */
const FIRST_RECONNECT_MS = 250;
const MAX_RECONNECT_MS = 8_000;

const listeners = new Map<string, Set<Listener>>();
/** The newest full-state message per channel, replayed to islands that join later. */
const latestFullState = new Map<string, ServerMessage>();
/** Message types that carry a channel's whole state (the others are merged). */
const FULL_STATE_TYPES = new Set<ServerMessage["type"]>(["overview", "ticker", "ladder"]);
/**
 * Messages on channels the head asked for that no island follows yet, kept
 * (from the newest full state on) for the first island that does.
 */
const unclaimed = new Map<string, ServerMessage[]>();
/** A channel left unclaimed for this many messages is given up (an island that comes later subscribes afresh). */
const MAX_UNCLAIMED = 64;
let queued: ServerMessage[] = [];
let frameRequested = false;
let socket: WebSocket | null = null;
let reconnectMs = FIRST_RECONNECT_MS;

function sendToServer(type: SubscriptionMessage["type"], channels: string[]): void {
  if (socket?.readyState !== WebSocket.OPEN || channels.length === 0) return;
  const message: SubscriptionMessage = { v: FEED_PROTOCOL_VERSION, type, channels };
  socket.send(JSON.stringify(message));
}

/** How long non-essential work waits for a first update that does not come (no feed). */
const FIRST_UPDATE_WAIT_MS = 2_000;
const firstUpdate = Promise.withResolvers<void>();
let firstUpdateSeen = false;
/**
 * Resolves once the first live messages have been drawn (the frame after
 * their delivery), or after FIRST_UPDATE_WAIT_MS: heavy, non-essential
 * work such as loading a chart library waits for it instead of delaying
 * the live figures.
 */
export const afterFirstUpdate = firstUpdate.promise;

function deliver(): void {
  if (!firstUpdateSeen && queued.length > 0) {
    firstUpdateSeen = true;
    requestAnimationFrame(() => firstUpdate.resolve());
  }
  frameRequested = false;
  const messages = queued;
  queued = [];
  batch(() => {
    for (const message of messages) {
      if (message.type === "error") {
        console.error(`Live feed refused a request (${message.field}): ${message.message}`);
        continue;
      }
      if (FULL_STATE_TYPES.has(message.type)) latestFullState.set(message.channel, message);
      const followers = listeners.get(message.channel);
      if (followers !== undefined) { for (const listener of followers) listener(message); }
      else keepUnclaimed(message);
    }
  });
}

function keepUnclaimed(message: Exclude<ServerMessage, { type: "error" }>): void {
  const kept = unclaimed.get(message.channel);
  if (kept === undefined) return;
  const replaces = FULL_STATE_TYPES.has(message.type) ||
    ("snapshot" in message && message.snapshot);
  if (replaces) kept.length = 0;
  kept.push(message);
  if (kept.length > MAX_UNCLAIMED) {
    unclaimed.delete(message.channel);
    sendToServer("unsubscribe", [message.channel]);
  }
}

function receive(frame: string): void {
  queued.push(...JSON.parse(frame) as ServerMessage[]);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(deliver);
  }
}

/**
 * Follows the page's channels on `current` from now on; reconnects when it
 * closes. `early`: the head opened it, subscribed to `channels` when it
 * opened, and kept the frames `received` since.
 */
function adopt(current: WebSocket, early?: Omit<EarlyFeed, "socket">): void {
  socket = current;
  for (const channel of early?.channels ?? []) unclaimed.set(channel, []);
  const received = early?.received.splice(0) ?? [];
  const opened = () => {
    reconnectMs = FIRST_RECONNECT_MS;
    feedStatus.value = "live";
    // Every channel the server should send: those islands follow, and those the head asked for.
    sendToServer("subscribe", [...listeners.keys(), ...unclaimed.keys()]);
  };
  const closed = () => {
    feedStatus.value = "reconnecting";
    setTimeout(() => adopt(new WebSocket(feedUrl())), reconnectMs);
    reconnectMs = Math.min(reconnectMs * 2, MAX_RECONNECT_MS);
  };
  current.onmessage = ({ data }) => receive(data as string);
  current.onopen = opened;
  current.onclose = closed;
  for (const frame of received) receive(frame);
  // Open already: the head has subscribed, and no island follows anything yet.
  if (current.readyState === WebSocket.OPEN) feedStatus.value = "live";
  else if (current.readyState === WebSocket.CLOSED) closed();
}

function feedUrl(): URL {
  const url = new URL(FEED_PATH, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url;
}

// The socket the head opened, or a new one on a page without that script.
// (Islands are also imported on the server to render them: no socket there.)
if (typeof document !== "undefined") {
  setTimeout(firstUpdate.resolve, FIRST_UPDATE_WAIT_MS);
  const early = (globalThis as Record<string, unknown>)[EARLY_FEED] as EarlyFeed | undefined;
  adopt(early?.socket ?? new WebSocket(feedUrl()), early);
}

/**
 * Calls `listener` with every message on `channel` (its first is a
 * snapshot); returns the unsubscribe. Browser only: call it from an effect.
 */
export function followChannel(channel: string, listener: Listener): () => void {
  let followers = listeners.get(channel);
  if (followers === undefined) {
    listeners.set(channel, followers = new Set());
    const kept = unclaimed.get(channel);
    unclaimed.delete(channel);
    if (kept !== undefined) queueMicrotask(() => kept.forEach(listener));
    else sendToServer("subscribe", [channel]);
  } else {
    const latest = latestFullState.get(channel);
    if (latest !== undefined) queueMicrotask(() => listener(latest));
  }
  followers.add(listener);
  return () => {
    followers.delete(listener);
    if (followers.size > 0 || listeners.get(channel) !== followers) return;
    listeners.delete(channel);
    latestFullState.delete(channel);
    sendToServer("unsubscribe", [channel]);
  };
}
