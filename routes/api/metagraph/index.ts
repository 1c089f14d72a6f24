import type { AppContext } from "@/server/web_context.ts";
import { listNeurons } from "@/server/store/metagraph.ts";

/** GET /api/metagraph: the local network's registered UIDs. */
export async function GET(c: AppContext): Promise<Response> {
  return c.json(await listNeurons(c.var.services.kv));
}
