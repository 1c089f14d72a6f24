import { getConnInfo } from "hono/deno";
import { HttpError } from "@/server/fresh_lite/mod.ts";
import type { AppContext } from "@/server/web_context.ts";

/** GET /api/miner/ws: the miner gateway (engine/gateway/frames.ts). */
export function GET(c: AppContext): Response {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(426, "Cannot open miner connection: expected a WebSocket upgrade");
  }
  const remoteAddress = getConnInfo(c).remote.address ?? "unknown";
  return c.var.services.gateway.upgrade(c.req.raw, remoteAddress);
}
