import type { AppContext } from "@/server/web_context.ts";

/** GET /api/metagraph: every UID with its hotkey, permit and endpoint. */
export async function GET(c: AppContext): Promise<Response> {
  return c.json(await c.var.services.chain.metagraph());
}
