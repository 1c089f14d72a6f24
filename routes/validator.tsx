import type { PageProps } from "@/server/fresh_lite/mod.ts";
import { validatorStatus } from "@/server/metrics.ts";
import type { AppContext } from "@/server/web_context.ts";
import ValidatorDashboard, { type ValidatorStatus } from "@/islands/ValidatorDashboard.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";
import { ThemeScript } from "@/islands/_theme_script.tsx";

export const title = "Validator — Marketforge";

/** The dashboard, or why the sign-in form is shown instead. */
type ValidatorPageData =
  | { status: ValidatorStatus }
  | { signIn: "missing" | "wrong" };

/**
 * Operator only (server/operator_key.ts). `?key=` signs a browser in: a
 * session cookie, then a redirect to the same URL without the key. Without
 * a session, a 401 with a sign-in form (which sends `?key=` the same way).
 */
export async function load(c: AppContext): Promise<ValidatorPageData | Response> {
  const { operator } = c.var.services;
  const key = c.req.query("key");
  if (key !== undefined && operator.matches(key)) {
    const url = new URL(c.req.url);
    url.searchParams.delete("key");
    const https = url.protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
    return new Response(null, {
      status: 303,
      headers: {
        location: url.pathname + url.search,
        "set-cookie": operator.sessionCookie(https),
        "cache-control": "no-store",
      },
    });
  }
  const refusal = key === undefined ? operator.check(c.req.raw) : "wrong";
  c.header("cache-control", "no-store");
  if (refusal !== null) {
    c.status(401);
    return { signIn: refusal };
  }
  return { status: await validatorStatus(c.var.services) };
}

/** The operator's dashboard: the loop's timings, the miners, the chain; also at /metrics. */
export default function ValidatorPage({ data }: PageProps<ValidatorPageData>) {
  return (
    <section class="dashboard">
      <ThemeScript />
      <div class="page-head">
        <h1>Validator</h1>
        <ThemeToggle />
      </div>
      {"signIn" in data ? <SignIn refusal={data.signIn} /> : (
        <>
          <p class="lede">
            This validator's loop: each round steps the market one simulated second, publishes the
            state to connected miners and waits for their answers. The same figures are served to
            Prometheus at <a href="/metrics">/metrics</a> and as JSON at{" "}
            <a href="/api/validator">/api/validator</a> (both with{" "}
            <code>Authorization: Bearer &lt;operator key&gt;</code>).
          </p>
          <ValidatorDashboard initial={data.status} />
        </>
      )}
    </section>
  );
}

/** The 401 page: one field for the operator key. */
function SignIn({ refusal }: { refusal: "missing" | "wrong" }) {
  return (
    <div class="sign-in">
      <p class="lede">
        The dashboard is for this validator's operator. Enter the operator key: the one given with
        {" "}
        <code>--operator-key</code> (or{" "}
        <code>MARKETFORGE_OPERATOR_KEY</code>), or the one in the dashboard URL the validator
        printed when it started.
      </p>
      {refusal === "wrong" && (
        <p class="error" role="alert">That is not this validator's operator key.</p>
      )}
      <form class="sign-in-form" method="get" action="/validator">
        <label for="operator-key">Operator key</label>
        <input
          id="operator-key"
          name="key"
          type="password"
          required
          autocomplete="current-password"
          spellcheck={false}
        />
        <button type="submit">Sign in</button>
      </form>
    </div>
  );
}
