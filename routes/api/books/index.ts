import { bookSummaries } from "@/server/book_summary.ts";
import type { AppContext } from "@/server/web_context.ts";

/** GET /api/books: every book's touch, last price and lifetime activity. */
export function GET(c: AppContext): Response {
  return c.json(bookSummaries(c.var.services.market));
}
