import { formatPrometheus, PROMETHEUS_CONTENT_TYPE, validatorMetrics } from "@/server/metrics.ts";
import type { AppContext } from "@/server/web_context.ts";

/** GET /metrics: the validator's figures for Prometheus (text format 0.0.4). */
export function GET(c: AppContext): Response {
  return c.body(formatPrometheus(validatorMetrics(c.var.services)), 200, {
    "content-type": PROMETHEUS_CONTENT_TYPE,
    "cache-control": "no-store",
  });
}
