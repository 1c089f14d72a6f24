import { HttpError } from "@/server/fresh_lite/mod.ts";
import { minerDetail } from "@/server/miner_detail.ts";
import type { AppContext } from "@/server/web_context.ts";
import { uidParam } from "@/routes/api/miners/_uid_param.ts";

/**
 * GET /api/miners/:uid: one miner's fills, realised PnL curve, volume,
 * score and latency (engine/browser_miner/miner_detail.ts `MinerDetail`).
 */
export async function GET(c: AppContext): Promise<Response> {
  const uid = uidParam(c);
  const detail = await minerDetail(c.var.services, uid);
  if (detail === null) throw new HttpError(404, `Unknown UID ${uid}: no neuron holds it`);
  return c.json(detail);
}
