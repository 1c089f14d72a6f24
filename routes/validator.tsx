import type { PageProps } from "@/server/fresh_lite/mod.ts";
import { validatorStatus } from "@/server/metrics.ts";
import type { AppContext } from "@/server/web_context.ts";
import ValidatorDashboard, { type ValidatorStatus } from "@/islands/ValidatorDashboard.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";
import { ThemeScript } from "@/islands/_theme_script.tsx";

export const title = "Validator — Marketforge";

export function load(c: AppContext): Promise<ValidatorStatus> {
  return validatorStatus(c.var.services);
}

/** The operator's dashboard: the loop's timings, the miners, the chain; also at /metrics. */
export default function ValidatorPage({ data }: PageProps<ValidatorStatus>) {
  return (
    <section class="dashboard">
      <ThemeScript />
      <div class="page-head">
        <h1>Validator</h1>
        <ThemeToggle />
      </div>
      <p class="lede">
        This validator's loop: each round steps the market one simulated second, publishes the state
        to connected miners and waits for their answers. The same figures are served to Prometheus
        at <a href="/metrics">/metrics</a> and as JSON at{" "}
        <a href="/api/validator">/api/validator</a>.
      </p>
      <ValidatorDashboard initial={data} />
    </section>
  );
}
