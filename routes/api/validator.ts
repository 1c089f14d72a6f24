import { validatorStatus } from "@/server/metrics.ts";
import type { AppContext } from "@/server/web_context.ts";

/**
 * GET /api/validator: the simulation, the rounds' timings, every funded or
 * connected miner with its fills, PnL, score and latency, and the chain's
 * view of this validator (islands/ValidatorDashboard.tsx ValidatorStatus).
 */
export async function GET(c: AppContext): Promise<Response> {
  return c.json(await validatorStatus(c.var.services));
}
