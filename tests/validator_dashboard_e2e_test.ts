/**
 * End to end: the operator's and the miner's pages against a real
 * validator with demo miners trading. The validator dashboard is behind the
 * operator key (a sign-in form, then a session cookie; the API and /metrics
 * take it as a bearer token), shows the figures GET /api/validator returns
 * (progress, speed, step times, rejected frames, chain sync) and refreshes
 * them, works without JavaScript and at phone width; the miner page shows
 * this validator's gateway and the connected miners with copyable commands;
 * GET /metrics parses as Prometheus text and agrees with the API. A
 * validator started without a key prints its generated key once, in the
 * dashboard's URL; --public-metrics opens /metrics. Screenshots go to
 * test-results/.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";
import type { ValidatorStatus } from "@/islands/ValidatorDashboard.tsx";
import { hasChromium, launchChromium, startServerProcess } from "@/tests/browser.ts";
import { repoPath } from "@/server/paths.ts";

const SCREENSHOTS = repoPath("test-results");
const PHONE = { width: 390, height: 844 };
const DEMO_MINERS = 2;
const OPERATOR_KEY = "dashboard-e2e-operator-key";
const BEARER = { authorization: `Bearer ${OPERATOR_KEY}` };

/**
 * A fresh context's page; `signedIn` first opens the dashboard's sign-in URL,
 * `refused` tolerates the browser's console error for a 401 or 403 page.
 */
async function withPage(
  browser: Browser,
  options: BrowserContextOptions & { signedIn?: string; refused?: boolean },
  use: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      const unauthorized = /status of 40[13] \((Unauthorized|Forbidden)\)/.test(message.text());
      if (message.type() === "error" && !(options.refused && unauthorized)) {
        errors.push(message.text());
      }
    });
    page.on("pageerror", (error) => errors.push(error.message));
    if (options.signedIn) {
      await page.goto(`${options.signedIn}/validator?key=${OPERATOR_KEY}`);
      await page.waitForURL(`${options.signedIn}/validator`);
    }
    await use(page);
    equal(errors.length, 0, `Console errors: ${errors.join("; ")}`);
  } finally {
    await context.close();
  }
}

/** A figure's number as the page shows it ("1,234" → 1234). */
async function numberIn(locator: Locator): Promise<number> {
  return Number((await locator.innerText()).replaceAll(",", ""));
}

function between(low: number, value: number, high: number, what: string): void {
  ok(low <= value && value <= high, `${what}: ${value} is not within [${low}, ${high}]`);
}

const shortKey = (key: string) => `${key.slice(0, 6)}…${key.slice(-4)}`;

/**
 * Every URL in the tab's session history (Chromium's back/forward list,
 * read over CDP): what each entry shows and what was typed to reach it.
 */
async function historyUrls(page: Page): Promise<{ url: string; typed: string }[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { entries } = await cdp.send("Page.getNavigationHistory");
    return entries.map((entry) => ({ url: entry.url, typed: entry.userTypedURL }));
  } finally {
    await cdp.detach();
  }
}

interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface ParsedFamily {
  help: string;
  type: string;
  samples: ParsedSample[];
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

/**
 * Parses Prometheus text format 0.0.4 strictly: every sample follows its
 * family's HELP and TYPE lines and carries the family's name (plus
 * `_bucket`, `_sum` or `_count` for a histogram).
 */
function parsePrometheus(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  const fail = (why: string, line: string) => {
    throw new Error(`Cannot parse metrics: ${why}: ${line}`);
  };
  let name = "";
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const help = line.match(/^# HELP (\S+) (.*)$/);
    if (help) {
      if (families.has(help[1])) fail("family listed twice", line);
      name = help[1];
      families.set(name, { help: help[2], type: "", samples: [] });
      continue;
    }
    const family = families.get(name);
    const type = line.match(/^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/);
    if (type) {
      if (type[1] !== name || family === undefined) fail("TYPE without its HELP", line);
      family!.type = type[2];
      continue;
    }
    const sample = line.match(SAMPLE_LINE);
    if (sample === null) return fail("not a sample", line);
    if (family === undefined || family.type === "") return fail("sample before HELP, TYPE", line);
    const suffixes = family.type === "histogram" ? ["_bucket", "_sum", "_count"] : [""];
    if (!suffixes.some((suffix) => sample[1] === name + suffix)) {
      fail(`sample not of family "${name}"`, line);
    }
    const labels: Record<string, string> = {};
    const body = sample[2] ?? "";
    for (let at = 0; at < body.length; at = LABEL_PAIR.lastIndex) {
      LABEL_PAIR.lastIndex = at;
      const pair = LABEL_PAIR.exec(body);
      if (pair === null) return fail("bad labels", line);
      labels[pair[1]] = pair[2].replace(/\\(.)/g, (_, c) => c === "n" ? "\n" : c);
    }
    const value = ({ "+Inf": Infinity, "-Inf": -Infinity } as Record<string, number>)[sample[3]] ??
      Number(sample[3]);
    if (Number.isNaN(value) && sample[3] !== "NaN") fail("bad value", line);
    family.samples.push({ name: sample[1], labels, value });
  }
  return families;
}

Deno.test({
  name: "the validator dashboard, the miner page and /metrics show the validator's figures",
  ignore: !hasChromium,
  async fn(t) {
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    const server = await startServerProcess([
      "--books",
      "2",
      "--demo-miners",
      String(DEMO_MINERS),
      "--step-ms",
      "20",
      "--grace-seconds",
      "0",
      "--operator-key",
      OPERATOR_KEY,
    ]);
    const browser = await launchChromium();
    const status = async (): Promise<ValidatorStatus> =>
      await (await fetch(`${server.url}/api/validator`, { headers: BEARER })).json();
    try {
      // Until both demo miners are connected, funded and have answered.
      for (let api = await status();; api = await status()) {
        if (api.miners.filter((m) => m.connected && m.lastResponseMs !== null).length >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      await t.step(
        "the dashboard, its API and /metrics refuse anyone without the key",
        async () => {
          const page = await fetch(`${server.url}/validator`);
          equal(page.status, 401);
          ok((await page.text()).includes('<label for="operator-key">Operator key</label>'));
          const api = await fetch(`${server.url}/api/validator`);
          equal(api.status, 401);
          ok((await api.json()).error.startsWith("Missing operator key"));
          const wrong = await fetch(`${server.url}/api/validator`, {
            headers: { authorization: "Bearer not-the-operator-key" },
          });
          equal(wrong.status, 401);
          await wrong.body?.cancel();
          const metrics = await fetch(`${server.url}/metrics`);
          equal(metrics.status, 401);
          equal(metrics.headers.get("www-authenticate"), 'Bearer realm="Marketforge validator"');
          await metrics.body?.cancel();
        },
      );

      await t.step("the operator signs in with the key and gets an HttpOnly session", async () => {
        await withPage(browser, { viewport: PHONE, refused: true }, async (page) => {
          await page.goto(server.url);
          // The public nav does not lead to the operator's page.
          equal(
            await page.getByRole("navigation", { name: "Main" }).getByRole("link", {
              name: "Validator",
            }).count(),
            0,
          );
          await page.goto(`${server.url}/validator`);
          const key = page.getByLabel("Operator key");
          await key.fill("not-the-operator-key");
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.getByRole("alert").filter({ hasText: "not this validator's operator key" })
            .waitFor();
          // Back at the form (a 401), the field marked wrong, no key in the address bar.
          equal(page.url(), `${server.url}/validator?sign-in=wrong`);
          equal(await page.getByLabel("Operator key").getAttribute("aria-invalid"), "true");
          equal(await page.getByRole("table", { name: "Miners" }).count(), 0);
          await page.screenshot({ path: `${SCREENSHOTS}/validator-sign-in.png`, fullPage: true });

          await page.getByLabel("Operator key").fill(OPERATOR_KEY);
          const [posted] = await Promise.all([
            page.waitForRequest((request) => request.method() === "POST"),
            page.getByRole("button", { name: "Sign in" }).click(),
          ]);
          // The key went in the form body, and the 303 lands on the clean URL.
          equal(posted.url(), `${server.url}/validator`);
          equal(posted.headers()["content-type"], "application/x-www-form-urlencoded");
          equal(new URLSearchParams(posted.postData() ?? "").get("key"), OPERATOR_KEY);
          await page.waitForURL(`${server.url}/validator`);
          await page.getByRole("table", { name: "Miners" }).waitFor();
          const history = await historyUrls(page);
          deepEqual(history.map((entry) => entry.url), [
            "about:blank",
            `${server.url}/`,
            `${server.url}/validator`,
            `${server.url}/validator?sign-in=wrong`,
            `${server.url}/validator`,
          ]);
          for (const entry of history) {
            ok(!entry.typed.includes(OPERATOR_KEY), `the key is in history: ${entry.typed}`);
          }
          // Back goes to the form the key was typed into, not to a URL holding it.
          await page.goBack();
          equal(page.url(), `${server.url}/validator?sign-in=wrong`);
          await page.goForward();
          await page.getByRole("table", { name: "Miners" }).waitFor();
          const [cookie] = await page.context().cookies();
          equal(cookie.name, "marketforge_operator");
          equal(cookie.httpOnly, true);
          equal(cookie.sameSite, "Strict");
          ok(!cookie.value.includes(OPERATOR_KEY));
          equal(await page.evaluate(() => document.cookie), "");
        });
      });

      await t.step("the printed URL's key is traded at once for the clean URL", async () => {
        await withPage(browser, {}, async (page) => {
          const response = await page.goto(`${server.url}/validator?key=${OPERATOR_KEY}`);
          equal(page.url(), `${server.url}/validator`);
          equal(response?.status(), 200);
          const redirect = response?.request().redirectedFrom();
          equal((await redirect?.response())?.status(), 303);
          await page.getByRole("table", { name: "Miners" }).waitFor();
          // The entry shows the clean URL; only what was typed (the printed link) held the key.
          const history = await historyUrls(page);
          deepEqual(history.map((entry) => entry.url), ["about:blank", `${server.url}/validator`]);
        });
      });

      await t.step("a sign-in form posted from another site is refused", async () => {
        await withPage(browser, { refused: true }, async (page) => {
          // An attacker's page that posts the form to this validator (with the right key, even).
          await page.route("http://attacker.test/", (route) =>
            route.fulfill({
              contentType: "text/html",
              body: `<form method="post" action="${server.url}/validator">` +
                `<input name="key" value="${OPERATOR_KEY}"><button>Go</button></form>`,
            }));
          await page.goto("http://attacker.test/");
          const [response] = await Promise.all([
            page.waitForResponse(`${server.url}/validator`),
            page.getByRole("button", { name: "Go" }).click(),
          ]);
          equal(response.status(), 403);
          ok((await response.text()).startsWith("Cannot sign in: the form was not posted from"));
          equal((await page.context().cookies()).length, 0);
        });
      });

      await t.step("the dashboard shows what the API returns and refreshes it", async () => {
        const options = {
          viewport: { width: 1440, height: 1000 },
          colorScheme: "dark" as const,
          signedIn: server.url,
        };
        await withPage(browser, options, async (page) => {
          const before = await status();
          await page.goto(`${server.url}/validator`);
          await page.getByRole("heading", { name: "Validator", level: 1 }).waitFor();
          const after = await status();
          const figure = (label: string) => page.getByLabel(label, { exact: true });

          equal(await figure("Books").innerText(), String(before.books));
          equal(await figure("Seed").innerText(), String(before.simulation?.seed));
          equal(await figure("Chain").innerText(), "Local");
          equal(await figure("Validator UID").innerText(), String(before.chain.validatorUid));
          equal(
            await figure("Validator hotkey").innerText(),
            shortKey(before.chain.validatorHotkey),
          );
          equal(await figure("Connected").innerText(), String(DEMO_MINERS));
          between(before.round, await numberIn(figure("Round")), after.round, "Round");
          ok((await figure("Round p99").innerText()).endsWith(" ms"));
          // Progress, speed, the step-time breakdown and chain sync.
          equal(await figure("Simulation").innerText(), `#${before.simulation?.index}`);
          ok(/^\d+\.\d %$/.test(await figure("Progress").innerText()));
          const speed = await figure("Speed, last 10 s").innerText();
          ok(/^[\d,]+\.\d sim s\/s$/.test(speed), `speed "${speed}"`);
          // One round per 20 ms at most: up to 50 simulated seconds per second.
          between(1, Number(speed.split(" ")[0].replaceAll(",", "")), 50, "Speed");
          for (const label of ["Engine step", "Engine step, mean", "Publish", "Collect answers"]) {
            ok((await figure(label).innerText()).endsWith(" ms"), label);
          }
          ok(after.lastRound!.stepMs > 0);
          equal(await figure("Metagraph synced").innerText(), "Local chain, read live");
          equal(
            await numberIn(figure("Rejected frames, open connections")),
            after.miners.reduce((sum, m) => sum + (m.connected ? m.refusedFrames : 0), 0),
          );

          const table = page.getByRole("table", { name: "Miners" });
          equal(await table.locator("tbody tr").count(), after.miners.length);
          for (const miner of after.miners) {
            const row = table.getByRole("row").filter({
              has: page.getByRole("rowheader", { name: `Miner ${miner.uid}`, exact: true }),
            });
            await row.getByRole("cell", { name: shortKey(miner.hotkey!), exact: true }).waitFor();
            await row.getByRole("cell", { name: "Yes", exact: true }).waitFor();
            const was = before.miners.find((m) => m.uid === miner.uid)?.fills ?? 0;
            between(was, await numberIn(row.getByRole("cell").nth(3)), miner.fills, "Fills");
            // The last column: frames the gateway refused on its open connections.
            equal(await numberIn(row.getByRole("cell").last()), miner.refusedFrames);
          }
          await table.getByRole("columnheader", { name: "Rejected frames" }).waitFor();

          // The island refreshes in place: the round moves on without a reload.
          await page.getByRole("status").filter({ hasText: "Live, every 3 s" }).waitFor();
          const shown = await figure("Round").innerText();
          await figure("Round").filter({ hasNotText: new RegExp(`^${shown}$`) }).waitFor();
          await page.screenshot({ path: `${SCREENSHOTS}/validator-dashboard.png`, fullPage: true });
        });
      });

      await t.step(
        "without JavaScript the dashboard is a snapshot of the same figures",
        async () => {
          const options = { javaScriptEnabled: false, signedIn: server.url };
          await withPage(browser, options, async (page) => {
            await page.goto(`${server.url}/validator`);
            await page.getByRole("status").filter({ hasText: "Snapshot" }).waitFor();
            const api = await status();
            equal(
              await page.getByRole("table", { name: "Miners" }).locator("tbody tr").count(),
              api.miners.length,
            );
            equal(await page.getByLabel("Books", { exact: true }).innerText(), String(api.books));
          });
        },
      );

      await t.step(
        "the miner page shows the gateway, commands to copy and live miners",
        async () => {
          const options = {
            viewport: { width: 1280, height: 900 },
            permissions: ["clipboard-read", "clipboard-write"],
          };
          await withPage(browser, options, async (page) => {
            await page.goto(server.url);
            await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mine" })
              .click();
            await page.waitForURL(`${server.url}/miner`);
            await page.getByRole("heading", { name: "Mine on this validator" }).waitFor();
            // The browser-tab console (tests/browser_miner_e2e_test.ts drives it) leads the page.
            await page.getByRole("heading", { name: "1. Wallet and hotkey" }).waitFor();

            const gatewayUrl = `${server.url.replace(/^http/, "ws")}/api/miner/ws`;
            const gateway = page.getByRole("figure", { name: "This validator's gateway" });
            equal(await gateway.locator("pre").innerText(), gatewayUrl);
            const mine = page.getByRole("figure", { name: /^Mine with a dev key/ });
            ok((await mine.innerText()).includes(`--validator ${gatewayUrl}`));
            await page.getByRole("figure", { name: /^Run the sandbox/ }).waitFor();
            await page.getByRole("figure", { name: "Mine with a btcli wallet" }).waitFor();

            const copy = page.getByRole("button", { name: "Copy: This validator's gateway" });
            await copy.click();
            await copy.filter({ hasText: "Copied" }).waitFor();
            equal(await page.evaluate(() => navigator.clipboard.readText()), gatewayUrl);

            const miners: { uid: number; hotkey: string }[] =
              await (await fetch(`${server.url}/api/miners`)).json();
            const table = page.getByRole("table", { name: "Connected miners" });
            for (const miner of miners) {
              const row = table.getByRole("row").filter({
                has: page.getByRole("rowheader", { name: `Miner ${miner.uid}`, exact: true }),
              });
              await row.getByRole("cell", { name: shortKey(miner.hotkey), exact: true }).waitFor();
            }
            equal(await table.locator("tbody tr").count(), miners.length);
            await page.screenshot({ path: `${SCREENSHOTS}/miner-page.png`, fullPage: true });
          });
        },
      );

      await t.step("at phone width in the light theme both pages fit the screen", async () => {
        const options = { viewport: PHONE, colorScheme: "light" as const, signedIn: server.url };
        await withPage(browser, options, async (page) => {
          for (const name of ["validator", "miner"]) {
            await page.goto(`${server.url}/${name}`);
            await page.getByRole("heading", { level: 1 }).waitFor();
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            ok(
              width <= PHONE.width,
              `The ${name} page is ${width} px wide on a ${PHONE.width} px screen`,
            );
            await page.screenshot({ path: `${SCREENSHOTS}/${name}-phone.png`, fullPage: true });
          }
        });
      });

      await t.step("GET /metrics parses as Prometheus text and agrees with the API", async () => {
        const before = await status();
        const response = await fetch(`${server.url}/metrics`, { headers: BEARER });
        const after = await status();
        equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
        const families = parsePrometheus(await response.text());
        const samples = [...families.values()].flatMap((family) => family.samples);
        const value = (name: string, labels: Record<string, string> = {}) =>
          samples.find((sample) =>
            sample.name === name &&
            Object.entries(labels).every(([key, label]) => sample.labels[key] === label)
          )?.value;

        equal(value("marketforge_books"), before.books);
        equal(value("marketforge_simulation_index"), before.simulation?.index);
        ok(value("marketforge_round_phase_seconds_total", { phase: "step" })! > 0);
        ok(value("marketforge_simulated_seconds_per_second")! > 0);
        equal(value("marketforge_miners_connected"), DEMO_MINERS);
        between(before.round, value("marketforge_round")!, after.round, "marketforge_round");
        for (const miner of after.miners) {
          const was = before.miners.find((m) => m.uid === miner.uid)?.fills ?? 0;
          const fills = value("marketforge_miner_fills", { uid: String(miner.uid) })!;
          between(was, fills, miner.fills, `fills of uid ${miner.uid}`);
        }

        const histogram = families.get("marketforge_round_duration_seconds")!;
        equal(histogram.type, "histogram");
        const buckets = histogram.samples.filter((sample) => sample.name.endsWith("_bucket"));
        for (let i = 1; i < buckets.length; i++) ok(buckets[i].value >= buckets[i - 1].value);
        equal(buckets.at(-1)?.labels.le, "+Inf");
        equal(buckets.at(-1)?.value, value("marketforge_round_duration_seconds_count"));
        ok(value("marketforge_round_duration_seconds_count")! > 0);
        ok(value("marketforge_engine_events_total")! > 0);

        // Bounded cardinality: per-miner series carry the UID and nothing else.
        for (const [name, family] of families) {
          if (!name.startsWith("marketforge_miner_")) continue;
          for (const sample of family.samples) equal(Object.keys(sample.labels).join(), "uid");
        }
      });
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});

Deno.test({
  name:
    "without a key the validator prints its generated one once; --public-metrics opens /metrics",
  async fn() {
    const server = await startServerProcess([
      "--books",
      "1",
      "--demo-miners",
      "0",
      "--public-metrics",
    ]);
    try {
      const printed = server.startupLog.match(
        /Validator dashboard \(operator key generated for this run\): (\S+)/,
      );
      ok(printed, `no dashboard URL in:\n${server.startupLog}`);
      const signInUrl = new URL(printed[1]);
      const key = signInUrl.searchParams.get("key")!;
      equal(signInUrl.pathname, "/validator");
      equal(server.startupLog.split(key).length, 2, "the key is printed exactly once");
      ok(server.startupLog.includes("/metrics (public: --public-metrics)"));

      const metrics = await fetch(`${server.url}/metrics`);
      equal(metrics.status, 200);
      ok((await metrics.text()).includes("\nmarketforge_books 1\n"));
      const api = await fetch(`${server.url}/api/validator`);
      equal(api.status, 401);
      await api.body?.cancel();
      const signIn = await fetch(signInUrl, { redirect: "manual" });
      equal(signIn.status, 303);
      equal(signIn.headers.get("location"), "/validator");
      const session = signIn.headers.get("set-cookie")!.split(";")[0];
      // The sign-in form takes the generated key the same way.
      const posted = await fetch(`${server.url}/validator`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
        body: new URLSearchParams({ key }),
      });
      equal(posted.status, 303);
      equal(posted.headers.get("location"), "/validator");
      equal(posted.headers.get("set-cookie")?.split(";")[0], session);
      const page = await fetch(`${server.url}/validator`, { headers: { cookie: session } });
      equal(page.status, 200);
      ok((await page.text()).includes('aria-label="Miners"'));
      const bearer = await fetch(`${server.url}/api/validator`, {
        headers: { authorization: `Bearer ${key}` },
      });
      equal(bearer.status, 200);
      equal((await bearer.json()).books, 1);
    } finally {
      await server.stop();
    }
  },
});
