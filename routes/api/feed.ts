import { HttpError } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";

/** GET /api/feed: the multiplexed live feed (engine/market_data/feed_messages.ts). */
export function GET(c: AppContext): Response {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(426, "Cannot open the live feed: expected a WebSocket upgrade");
  }
  return c.var.services.feed.upgrade(c.req.raw);
}
