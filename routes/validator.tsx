import type { PageProps } from "@/server/fresh_lite/mod.ts";
import { validatorStatus } from "@/server/metrics.ts";
import type { AppContext } from "@/server/web_context.ts";
import { isSameOrigin, postedKey, SIGN_IN_FIELD, SIGN_IN_FLAG } from "@/server/operator_key.ts";
import ValidatorDashboard, { type ValidatorStatus } from "@/islands/ValidatorDashboard.tsx";
import ThemeToggle from "@/islands/ThemeToggle.tsx";

export const title = "Validator — Marketforge";

/**
 * Why the sign-in form is shown: no session yet, a wrong key just entered,
 * or a session cookie from another key (a generated key changes each start).
 */
type SignInReason = "missing" | "wrong-key" | "stale-session";

/** The dashboard, or why the sign-in form is shown instead. */
type ValidatorPageData =
  | { status: ValidatorStatus }
  | { signIn: SignInReason };

/** What a cross-site POST gets: no cookie, and a reason. */
const CROSS_SITE_REFUSAL =
  "Cannot sign in: the form was not posted from this validator's own page (Origin does not match)";

/**
 * Operator only (server/operator_key.ts). Without a session, a 401 with the
 * sign-in form. The printed URL's `?key=` still signs in (see
 * OperatorKey.signInUrl for why it stays): it is answered at once with a
 * 303 to the clean URL, so no page ever renders under a URL with a key.
 */
export async function load(c: AppContext): Promise<ValidatorPageData | Response> {
  const { operator } = c.var.services;
  const key = c.req.query(SIGN_IN_FIELD);
  if (key !== undefined) return operator.signIn(c.req.raw, key);
  const refusal = operator.check(c.req.raw);
  c.header("cache-control", "no-store");
  if (refusal !== null) {
    c.status(401);
    const reason: SignInReason = c.req.query(SIGN_IN_FLAG) === "wrong"
      ? "wrong-key"
      : refusal === "wrong"
      ? "stale-session"
      : "missing";
    return { signIn: reason };
  }
  return { status: await validatorStatus(c.var.services) };
}

/**
 * POST /validator: the sign-in form (application/x-www-form-urlencoded, field
 * `key`), so the key travels in the body, never in a URL or the history.
 * From this site only (Origin checked, beside the SameSite=Strict cookie);
 * a 303 either way: to the dashboard with the session cookie, or back to
 * the form, which says the key was wrong (and answers 401).
 */
export async function POST(c: AppContext): Promise<Response> {
  if (!isSameOrigin(c.req.raw)) return c.text(CROSS_SITE_REFUSAL, 403);
  return c.var.services.operator.signIn(c.req.raw, await postedKey(c.req.raw));
}

/** The operator's dashboard: the loop's timings, the miners, the chain; also at /metrics. */
export default function ValidatorPage({ data }: PageProps<ValidatorPageData>) {
  return (
    <section class="dashboard">
      <div class="page-head">
        <h1>Validator</h1>
        <ThemeToggle />
      </div>
      {"signIn" in data ? <SignIn reason={data.signIn} /> : (
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

/** What the form says above its field, by why it is shown. */
const SIGN_IN_ERRORS: Record<SignInReason, string | null> = {
  "missing": null,
  "wrong-key": "That is not this validator's operator key.",
  "stale-session":
    "Your session is for another operator key (a generated key changes at each start); sign in again.",
};

/** The 401 page: one field for the operator key, posted (never sent in the URL). */
function SignIn({ reason }: { reason: SignInReason }) {
  const error = SIGN_IN_ERRORS[reason];
  return (
    <div class="sign-in">
      <p class="lede">
        The dashboard is for this validator's operator. Enter the operator key: the one given with
        {" "}
        <code>--operator-key</code> (or{" "}
        <code>MARKETFORGE_OPERATOR_KEY</code>), or the one in the dashboard URL the validator
        printed when it started.
      </p>
      {error && <p class="error" id="operator-key-error" role="alert">{error}</p>}
      <form class="sign-in-form" method="post" action="/validator">
        <label for="operator-key">Operator key</label>
        <input
          id="operator-key"
          name={SIGN_IN_FIELD}
          type="password"
          required
          autocomplete="current-password"
          spellcheck={false}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "operator-key-error" : undefined}
        />
        <button type="submit">Sign in</button>
      </form>
    </div>
  );
}
