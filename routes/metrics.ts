import { formatPrometheus, PROMETHEUS_CONTENT_TYPE, validatorMetrics } from "@/server/metrics.ts";
import { type AppContext, operatorRefusal } from "@/server/web_context.ts";

/**
 * GET /metrics: the validator's figures for Prometheus (text format 0.0.4).
 * Needs `Authorization: Bearer <operator key>` (Prometheus's
 * `authorization` scrape setting) unless the validator runs with
 * --public-metrics.
 */
export function GET(c: AppContext): Response {
  const { services } = c.var;
  if (!services.operator.publicMetrics) {
    const refused = operatorRefusal(c, "text");
    if (refused) return refused;
  }
  return c.body(formatPrometheus(validatorMetrics(services)), 200, {
    "content-type": PROMETHEUS_CONTENT_TYPE,
    "cache-control": "no-store",
  });
}
