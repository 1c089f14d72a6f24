/**
 * Opens the page's live-feed WebSocket (GET /api/feed) from an inline script
 * in the head of a live page (a route's `Head`), while the HTML is still
 * being parsed: the handshake then overlaps the download of the islands'
 * modules instead of following it, which was most of a book page's time to
 * its first live update. It also subscribes to the page's channels at once,
 * so the first snapshots do not wait for the islands either.
 * islands/_live_feed.ts adopts the socket, with the frames that arrived
 * before then, and keeps each channel's messages for its first follower.
 *
 * @module
 */
import { FEED_PATH, FEED_PROTOCOL_VERSION } from "@/engine/market_data/feed_messages.ts";

/** Global the opened socket waits under for islands/_live_feed.ts. */
export const EARLY_FEED = "__marketforgeFeed";

/** What the inline script leaves under EARLY_FEED. */
export interface EarlyFeed {
  socket: WebSocket;
  /** Channels the script subscribed to as soon as the socket opened. */
  channels: string[];
  /** Frames received before the page's feed code took the socket over. */
  received: string[];
}

function script(channels: readonly string[]): string {
  const subscribe = JSON.stringify({ v: FEED_PROTOCOL_VERSION, type: "subscribe", channels });
  return `(function(){var u=new URL(${JSON.stringify(FEED_PATH)},location.href);` +
    `u.protocol=u.protocol==="https:"?"wss:":"ws:";var s=new WebSocket(u),r=[];` +
    `s.onopen=function(){s.send(${JSON.stringify(subscribe)})};` +
    `s.onmessage=function(e){r.push(e.data)};` +
    `globalThis.${EARLY_FEED}={socket:s,channels:${JSON.stringify(channels)},received:r}})()`;
}

/**
 * For the `Head` of a page whose islands follow the live feed: opens the
 * socket and subscribes to `channels`, those the page's islands will follow
 * at first, so their snapshots are on the way before the islands load.
 */
export function FeedSocketScript({ channels }: { channels: readonly string[] }) {
  return <script dangerouslySetInnerHTML={{ __html: script(channels) }} />;
}
