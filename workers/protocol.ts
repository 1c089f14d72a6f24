/**
 * The typed, versioned messages between pages and web workers. Every
 * message carries the protocol version `v`, so a page and a worker bundle
 * from different deployments fail loudly instead of misreading each other.
 *
 * @module
 */
import type { BookView } from "@/engine/book_view.ts";

export const PROTOCOL_VERSION = 1;

/** Where the bundled book-feed worker is served (server/fresh_lite/bundle.ts). */
export const BOOK_FEED_WORKER_URL = "/_islands/workers/book_feed.js";

export type FeedStatus = "connecting" | "live" | "reconnecting";

/** Page → book-feed worker. */
export type ToBookFeed =
  | { v: typeof PROTOCOL_VERSION; type: "subscribe"; bookId: number }
  | { v: typeof PROTOCOL_VERSION; type: "close" };

/** Book-feed worker → page. */
export type FromBookFeed =
  | { v: typeof PROTOCOL_VERSION; type: "book"; view: BookView }
  | { v: typeof PROTOCOL_VERSION; type: "status"; status: FeedStatus }
  | { v: typeof PROTOCOL_VERSION; type: "error"; message: string };

/** The parts of a dedicated worker's global scope the workers use. */
export interface WorkerScope<In, Out> {
  postMessage(message: Out): void;
  addEventListener(type: "message", listener: (event: MessageEvent<In>) => void): void;
  close(): void;
}
