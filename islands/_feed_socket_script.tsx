/**
 * Opens the page's live-feed WebSocket (GET /api/feed) from an inline script
 * in the head of a live page (a route's `Head`), while the HTML is still
 * being parsed: the handshake then overlaps the download of the islands'
 * modules instead of following it, which was most of a book page's time to
 * its first live update. islands/_live_feed.ts adopts the socket, with the
 * frames that arrived before then.
 *
 * @module
 */
import { FEED_PATH } from "@/engine/market_data/feed_messages.ts";

/** Global the opened socket waits under for islands/_live_feed.ts. */
export const EARLY_FEED = "__marketforgeFeed";

/** What the inline script leaves under EARLY_FEED. */
export interface EarlyFeed {
  socket: WebSocket;
  /** Frames received before the page's feed code took the socket over. */
  received: string[];
}

const SCRIPT = `(function(){var u=new URL(${JSON.stringify(FEED_PATH)},location.href);` +
  `u.protocol=u.protocol==="https:"?"wss:":"ws:";var s=new WebSocket(u),r=[];` +
  `s.onmessage=function(e){r.push(e.data)};globalThis.${EARLY_FEED}={socket:s,received:r}})()`;

/** The `Head` of a page whose islands follow the live feed. */
export function FeedSocketScript() {
  return <script dangerouslySetInnerHTML={{ __html: SCRIPT }} />;
}
