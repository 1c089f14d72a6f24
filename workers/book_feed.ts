/**
 * Web worker that owns a book's live feed: it holds the EventSource and
 * parses each BookView off the main thread, posting only parsed views to the
 * page. The page's island stays a renderer.
 *
 * @module
 */
import type { BookView } from "@/engine/book_view.ts";
import {
  type FromBookFeed,
  PROTOCOL_VERSION,
  type ToBookFeed,
  type WorkerScope,
} from "@/workers/protocol.ts";

const scope = self as unknown as WorkerScope<ToBookFeed, FromBookFeed>;
let source: EventSource | null = null;

function post(message: FromBookFeed): void {
  scope.postMessage(message);
}

function subscribe(bookId: number): void {
  source?.close();
  source = new EventSource(`/api/books/${bookId}/feed`);
  post({ v: PROTOCOL_VERSION, type: "status", status: "connecting" });
  source.addEventListener("book", (event) => {
    const view = JSON.parse((event as MessageEvent<string>).data) as BookView;
    post({ v: PROTOCOL_VERSION, type: "book", view });
  });
  source.onopen = () => post({ v: PROTOCOL_VERSION, type: "status", status: "live" });
  source.onerror = () => post({ v: PROTOCOL_VERSION, type: "status", status: "reconnecting" });
}

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
    case "subscribe":
      subscribe(data.bookId);
      break;
    case "close":
      source?.close();
      scope.close();
      break;
  }
});
