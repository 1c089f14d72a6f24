import type { AppContext } from "@/server/web_context.ts";

/** GET /api/validator: the last round's figures and the connected miners. */
export function GET(c: AppContext): Response {
  const { loop, gateway } = c.var.services;
  return c.json({ lastRound: loop.lastRound, miners: gateway.miners });
}
