/**
 * Web worker that owns the page's one live-feed WebSocket (GET /api/feed):
 * it connects as soon as it starts, follows the channels the page's
 * islands ask for (those asked before the socket opens go out on open),
 * parses each frame off the main thread and posts its messages to the
 * page. When the socket drops it reconnects with backoff and follows the
 * same channels again, so the islands see a "reconnecting" status and then
 * fresh snapshots.
 *
 * @module
 */
import {
  FEED_PATH,
  FEED_PROTOCOL_VERSION,
  type ServerMessage,
  type SubscriptionMessage,
} from "@/engine/market_data/feed_messages.ts";
import {
  type FromBookFeed,
  PROTOCOL_VERSION,
  type ToBookFeed,
  type WorkerScope,
} from "@/workers/protocol.ts";

/** First reconnect delay; it doubles per failed attempt up to MAX_RECONNECT_MS. */
const FIRST_RECONNECT_MS = 250;
const MAX_RECONNECT_MS = 8_000;

const scope = self as unknown as WorkerScope<ToBookFeed, FromBookFeed>;
const channels = new Set<string>();
let socket: WebSocket;
let reconnectMs = FIRST_RECONNECT_MS;

function post(message: FromBookFeed): void {
  scope.postMessage(message);
}

function sendToServer(type: SubscriptionMessage["type"], names: string[]): void {
  if (socket.readyState !== WebSocket.OPEN || names.length === 0) return;
  const message: SubscriptionMessage = { v: FEED_PROTOCOL_VERSION, type, channels: names };
  socket.send(JSON.stringify(message));
}

function connect(): void {
  const url = new URL(FEED_PATH, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const current = new WebSocket(url);
  socket = current;
  current.onopen = () => {
    reconnectMs = FIRST_RECONNECT_MS;
    post({ v: PROTOCOL_VERSION, type: "status", status: "live" });
    sendToServer("subscribe", [...channels]);
  };
  current.onmessage = ({ data }) => {
    const messages = JSON.parse(data as string) as ServerMessage[];
    post({ v: PROTOCOL_VERSION, type: "messages", messages });
  };
  current.onclose = () => {
    post({ v: PROTOCOL_VERSION, type: "status", status: "reconnecting" });
    setTimeout(connect, reconnectMs);
    reconnectMs = Math.min(reconnectMs * 2, MAX_RECONNECT_MS);
  };
}

// Connect at once: the page starts this worker before its islands hydrate,
// so the handshake overlaps hydration and subscriptions go out on arrival.
connect();

scope.addEventListener("message", ({ data }) => {
  if (data?.v !== PROTOCOL_VERSION) {
    post({
      v: PROTOCOL_VERSION,
      type: "error",
      message: `Cannot read message: protocol version ${data?.v}, expected ${PROTOCOL_VERSION}`,
    });
    return;
  }
  switch (data.type) {
    case "subscribe": {
      const added = data.channels.filter((name) => !channels.has(name));
      for (const name of added) channels.add(name);
      sendToServer("subscribe", added);
      break;
    }
    case "unsubscribe": {
      const removed = data.channels.filter((name) => channels.delete(name));
      sendToServer("unsubscribe", removed);
      break;
    }
  }
});
