/**
 * The page's side of the live feed: one book-feed worker (and so one
 * WebSocket) shared by every island on the page, with channels counted so
 * two islands following the same channel share it.
 *
 * Messages are handed to listeners once per animation frame, inside one
 * signals batch, so the islands re-render at most once per frame however
 * frames and channels interleave: 10 Hz updates never queue up work.
 *
 * @module
 */
import { batch, signal } from "@preact/signals";
import type { ServerMessage } from "@/engine/market_data/feed_messages.ts";
import {
  BOOK_FEED_WORKER_URL,
  type FeedStatus,
  type FromBookFeed,
  PROTOCOL_VERSION,
  type ToBookFeed,
} from "@/workers/protocol.ts";

type Listener = (message: ServerMessage) => void;

/** The connection's state, for the islands' status lines. */
export const feedStatus = signal<FeedStatus>("connecting");

const listeners = new Map<string, Set<Listener>>();
/** The newest full-state message per channel, replayed to islands that join later. */
const latestFullState = new Map<string, ServerMessage>();
/** Message types that carry a channel's whole state (the others are merged). */
const FULL_STATE_TYPES = new Set<ServerMessage["type"]>(["overview", "ticker", "ladder"]);
let queued: ServerMessage[] = [];
let frameRequested = false;

function send(message: ToBookFeed): void {
  worker?.postMessage(message);
}

function deliver(): void {
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
      for (const listener of listeners.get(message.channel) ?? []) listener(message);
    }
  });
}

function startWorker(): Worker {
  const started = new Worker(BOOK_FEED_WORKER_URL, { type: "module" });
  started.onmessage = ({ data }: MessageEvent<FromBookFeed>) => {
    if (data.type === "status") feedStatus.value = data.status;
    else if (data.type === "error") console.error(data.message);
    else {
      queued.push(...data.messages);
      if (!frameRequested) {
        frameRequested = true;
        requestAnimationFrame(deliver);
      }
    }
  };
  return started;
}

/**
 * The worker starts as soon as the first island's code is evaluated, before
 * hydration, so its socket is already open when the islands subscribe.
 * (Islands are also imported on the server to render them: no worker there.)
 */
const worker = typeof document === "undefined" ? null : startWorker();

/**
 * Calls `listener` with every message on `channel` (its first is a
 * snapshot); returns the unsubscribe. Browser only: call it from an effect.
 */
export function followChannel(channel: string, listener: Listener): () => void {
  let followers = listeners.get(channel);
  if (followers === undefined) {
    listeners.set(channel, followers = new Set());
    send({ v: PROTOCOL_VERSION, type: "subscribe", channels: [channel] });
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
    send({ v: PROTOCOL_VERSION, type: "unsubscribe", channels: [channel] });
  };
}
