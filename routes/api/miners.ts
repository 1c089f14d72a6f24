import type { AppContext } from "@/server/web_context.ts";

/** GET /api/miners: miners connected right now, with their frame counts. */
export function GET(c: AppContext): Response {
  return c.json(c.var.services.gateway.miners);
}
