import type { AppContext } from "@/server/web_context.ts";

/** GET /api/chain/weights: the weights each validator has set, as stored on chain. */
export async function GET(c: AppContext): Promise<Response> {
  return c.json(await c.var.services.chain.weights());
}
