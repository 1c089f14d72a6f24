import { validatorStatus } from "@/server/metrics.ts";
import { type AppContext, operatorRefusal } from "@/server/web_context.ts";

/**
 * GET /api/validator: the simulation, the rounds' timings, every funded or
 * connected miner with its fills, PnL, score and latency, and the chain's
 * view of this validator (islands/ValidatorDashboard.tsx ValidatorStatus).
 * Operator only: `Authorization: Bearer <operator key>` or the dashboard's
 * session cookie; a 401 otherwise.
 */
export async function GET(c: AppContext): Promise<Response> {
  const refused = operatorRefusal(c, "json");
  if (refused) return refused;
  c.header("cache-control", "no-store");
  return c.json(await validatorStatus(c.var.services));
}
