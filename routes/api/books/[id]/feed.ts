import { streamSSE } from "hono/streaming";
import { type AppContext, bookIdParam } from "@/server/web_context.ts";
import { subscribeLatest } from "@/server/latest_value.ts";

/**
 * GET /api/books/:id/feed: Server-Sent Events, one `book` event (a BookView
 * as JSON) per simulation step. A slow client skips to the newest view
 * instead of queueing, so it can never hold back the simulation.
 */
export function GET(c: AppContext): Response {
  const bookId = bookIdParam(c);
  const { market } = c.var.services;
  return streamSSE(c, async (stream) => {
    const views = subscribeLatest(
      market.view(bookId),
      (listener) => market.subscribe(bookId, listener),
    );
    stream.onAbort(() => views.close());
    for await (const view of views) {
      await stream.writeSSE({ event: "book", id: String(view.step), data: JSON.stringify(view) });
    }
  });
}
