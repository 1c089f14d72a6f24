import { equal, match } from "node:assert/strict";
import { Hono } from "hono";
import { RoundTimings } from "@/server/metrics.ts";
import { OPERATOR_COOKIE, OperatorKey } from "@/server/operator_key.ts";
import type { AppEnv, Services } from "@/server/web_context.ts";
import { GET as getMetrics } from "@/routes/metrics.ts";
import { GET as getValidator } from "@/routes/api/validator.ts";
import { load as loadValidatorPage, POST as postValidator } from "@/routes/validator.tsx";

const KEY = "operator-key-for-tests-0123456789";
const bearer = { authorization: `Bearer ${KEY}` };

/** The routes over a validator with no miners yet, its first round run. */
function app(options: { publicMetrics?: boolean } = {}): Hono<AppEnv> {
  const timings = new RoundTimings();
  const lastRound = {
    round: 1,
    timeNs: 1e9,
    miners: 0,
    responses: 0,
    late: 0,
    instructions: 0,
    refused: 0,
    events: 17,
    bytesPerMiner: 0,
    totalMs: 2,
    stepMs: 1.5,
    publishMs: 0,
    collectMs: 0,
  };
  timings.observe(lastRound);
  const services = {
    loop: {
      roundNumber: 1,
      lastRound,
      timings,
      fundedUids: [],
      scoring: null,
      simulation: null,
      validatorHotkey: "5Validator",
      lastResponseMs: () => undefined,
      ledger: { totals: () => ({ fills: 0, realizedPnl: 0 }), volume: () => 0 },
    },
    gateway: { miners: [] },
    chain: {
      kind: "local",
      metagraph: () => Promise.resolve([]),
      weights: () => Promise.resolve([]),
    },
    market: { bookCount: 3 },
    feed: { connectionCount: 0, droppedClients: 0 },
    operator: new OperatorKey(KEY, { publicMetrics: options.publicMetrics }),
    simDurationSeconds: 100,
  } as unknown as Services;
  return new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set("services", services);
      await next();
    })
    .get("/metrics", getMetrics)
    .get("/api/validator", getValidator)
    // The page's load, its data as JSON (the page itself renders in tests/validator_dashboard_e2e_test.ts).
    .get("/validator", async (c) => {
      const data = await loadValidatorPage(c);
      return data instanceof Response ? data : c.json(data);
    })
    .post("/validator", postValidator);
}

/** The sign-in form as a browser on this validator's own page posts it. */
const signInForm = (key: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    origin: "http://localhost",
    ...headers,
  },
  body: new URLSearchParams({ key }).toString(),
});

Deno.test("GET /metrics answers in Prometheus's text format with the operator's bearer key", async () => {
  const response = await app().request("/metrics", { headers: bearer });
  equal(response.status, 200);
  equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await response.text();
  match(text, /^# HELP marketforge_round /);
  match(text, /\nmarketforge_books 3\n/);
  match(text, /\nmarketforge_round_engine_events 17\n/);
  match(text, /\nmarketforge_round_duration_seconds_count 1\n/);
  match(text, /\nmarketforge_round_phase_seconds_total\{phase="step"\} 0.0015\n/);
});

Deno.test("GET /metrics refuses a missing or wrong key unless --public-metrics", async () => {
  const missing = await app().request("/metrics");
  equal(missing.status, 401);
  equal(missing.headers.get("www-authenticate"), 'Bearer realm="Marketforge validator"');
  match(await missing.text(), /^Missing operator key: send it as 'Authorization: Bearer <key>'/);
  const wrong = await app().request("/metrics", {
    headers: { authorization: "Bearer not-the-operator-key" },
  });
  equal(wrong.status, 401);
  match(await wrong.text(), /^Wrong operator key/);

  const open = await app({ publicMetrics: true }).request("/metrics");
  equal(open.status, 200);
  match(await open.text(), /\nmarketforge_books 3\n/);
});

Deno.test("GET /api/validator answers the dashboard's status to the operator only", async () => {
  const refused = await app().request("/api/validator");
  equal(refused.status, 401);
  match((await refused.json()).error, /^Missing operator key/);
  equal((await app().request("/api/validator", { headers: { authorization: KEY } })).status, 401);

  const response = await app().request("/api/validator", { headers: bearer });
  equal(response.status, 200);
  const status = await response.json();
  equal(status.round, 1);
  equal(status.books, 3);
  equal(status.miners.length, 0);
  equal(status.chain.validatorUid, null);
  equal(status.timings.p50Ms, 2);
  equal(status.lastRound.stepMs, 1.5);
  equal(status.simDurationSeconds, 100);
});

Deno.test("/validator?key= sets a strict HttpOnly session cookie and redirects to the clean URL", async () => {
  const web = app();
  const signIn = await web.request(`/validator?theme=dark&key=${encodeURIComponent(KEY)}`);
  equal(signIn.status, 303);
  equal(signIn.headers.get("location"), "/validator?theme=dark");
  const cookie = signIn.headers.get("set-cookie") ?? "";
  match(
    cookie,
    new RegExp(`^${OPERATOR_COOKIE}=[\\w-]+; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Strict$`),
  );
  equal(cookie.includes(KEY), false, "the cookie must not hold the key itself");
  const session = cookie.split(";")[0];

  // The cookie opens the page and the API the page's island refreshes from.
  const page = await web.request("/validator", { headers: { cookie: session } });
  equal(page.status, 200);
  equal((await page.json()).status.round, 1);
  equal((await web.request("/api/validator", { headers: { cookie: session } })).status, 200);

  // Without it, or with a forged one or a wrong key: 401 and the sign-in form's reason.
  const anonymous = await web.request("/validator");
  equal(anonymous.status, 401);
  equal((await anonymous.json()).signIn, "missing");
  const forged = await web.request("/validator", {
    headers: { cookie: `${OPERATOR_COOKIE}=forged` },
  });
  equal(forged.status, 401);
  equal(
    (await web.request("/api/validator", { headers: { cookie: `${OPERATOR_COOKIE}=x` } })).status,
    401,
  );
  // A wrong key in the URL is not left there either: back to the form, which says so.
  const wrong = await web.request("/validator?key=wrong-key-0123456789");
  equal(wrong.status, 303);
  equal(wrong.headers.get("location"), "/validator?sign-in=wrong");
  equal(wrong.headers.get("set-cookie"), null);
});

Deno.test("POST /validator signs in from the form and redirects to the clean URL", async () => {
  const web = app();
  const signIn = await web.request("/validator", signInForm(KEY));
  equal(signIn.status, 303);
  equal(signIn.headers.get("location"), "/validator");
  const cookie = signIn.headers.get("set-cookie") ?? "";
  match(cookie, new RegExp(`^${OPERATOR_COOKIE}=[\\w-]+; Path=/; .*HttpOnly; SameSite=Strict$`));
  const page = await web.request("/validator", { headers: { cookie: cookie.split(";")[0] } });
  equal(page.status, 200);
  equal((await page.json()).status.round, 1);

  // A wrong key: back to the form, whose GET is a 401 saying the key was wrong.
  const wrong = await web.request("/validator", signInForm("wrong-key-0123456789"));
  equal(wrong.status, 303);
  equal(wrong.headers.get("location"), "/validator?sign-in=wrong");
  equal(wrong.headers.get("set-cookie"), null);
  const form = await web.request("/validator?sign-in=wrong");
  equal(form.status, 401);
  equal((await form.json()).signIn, "wrong-key");
  // An empty or non-form body is a wrong key too.
  const empty = await web.request("/validator", signInForm(""));
  equal(empty.headers.get("location"), "/validator?sign-in=wrong");
  const json = await web.request("/validator", {
    ...signInForm(KEY),
    headers: { "content-type": "application/json", origin: "http://localhost" },
    body: JSON.stringify({ key: KEY }),
  });
  equal(json.headers.get("set-cookie"), null);

  // A session from another key (a generated key changes at each start) is told apart.
  const stale = await web.request("/validator", {
    headers: { cookie: `${OPERATOR_COOKIE}=from-the-last-run` },
  });
  equal(stale.status, 401);
  equal((await stale.json()).signIn, "stale-session");
});

Deno.test("POST /validator refuses a form posted from another site", async () => {
  const web = app();
  for (
    const headers of [
      { origin: "https://evil.example" },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "null" },
    ] as Record<string, string>[]
  ) {
    const forged = await web.request("/validator", signInForm(KEY, headers));
    equal(forged.status, 403, JSON.stringify(headers));
    equal(forged.headers.get("set-cookie"), null);
    match(await forged.text(), /^Cannot sign in: the form was not posted from this validator's/);
  }
  const noOrigin = await web.request("/validator", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `key=${KEY}`,
  });
  equal(noOrigin.status, 403);
  await noOrigin.body?.cancel();
});
