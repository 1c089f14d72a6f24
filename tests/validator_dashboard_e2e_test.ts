/**
 * End to end: the operator's and the miner's pages against a real
 * validator with demo miners trading. The validator dashboard shows the
 * figures GET /api/validator returns and refreshes them, works without
 * JavaScript and at phone width; the miner page shows this validator's
 * gateway and the connected miners with copyable commands; GET /metrics
 * parses as Prometheus text and agrees with the API. Screenshots go to
 * test-results/.
 */
import { equal, ok } from "node:assert/strict";
import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";
import type { ValidatorStatus } from "@/islands/ValidatorDashboard.tsx";
import { hasChromium, launchChromium, startServerProcess } from "@/tests/browser.ts";
import { repoPath } from "@/server/paths.ts";

const SCREENSHOTS = repoPath("test-results");
const PHONE = { width: 390, height: 844 };
const DEMO_MINERS = 2;

async function withPage(
  browser: Browser,
  options: BrowserContextOptions,
  use: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
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
    ]);
    const browser = await launchChromium();
    const status = async (): Promise<ValidatorStatus> =>
      await (await fetch(`${server.url}/api/validator`)).json();
    try {
      // Until both demo miners are connected, funded and have answered.
      for (let api = await status();; api = await status()) {
        if (api.miners.filter((m) => m.connected && m.lastResponseMs !== null).length >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      await t.step("the dashboard shows what the API returns and refreshes it", async () => {
        const options = { viewport: { width: 1440, height: 1000 }, colorScheme: "dark" as const };
        await withPage(browser, options, async (page) => {
          await page.goto(server.url);
          const before = await status();
          await page.getByRole("navigation", { name: "Main" }).getByRole("link", {
            name: "Validator",
          }).click();
          await page.waitForURL(`${server.url}/validator`);
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
          ok((await figure("p99").innerText()).endsWith(" ms"));

          const table = page.getByRole("table", { name: "Miners" });
          equal(await table.locator("tbody tr").count(), after.miners.length);
          for (const miner of after.miners) {
            const row = table.getByRole("row").filter({
              has: page.getByRole("rowheader", { name: String(miner.uid), exact: true }),
            });
            await row.getByRole("cell", { name: shortKey(miner.hotkey!), exact: true }).waitFor();
            await row.getByRole("cell", { name: "Yes", exact: true }).waitFor();
            const was = before.miners.find((m) => m.uid === miner.uid)?.fills ?? 0;
            between(was, await numberIn(row.getByRole("cell").nth(3)), miner.fills, "Fills");
          }

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
          await withPage(browser, { javaScriptEnabled: false }, async (page) => {
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
                has: page.getByRole("rowheader", { name: String(miner.uid), exact: true }),
              });
              await row.getByRole("cell", { name: shortKey(miner.hotkey), exact: true }).waitFor();
            }
            equal(await table.locator("tbody tr").count(), miners.length);
            await page.screenshot({ path: `${SCREENSHOTS}/miner-page.png`, fullPage: true });
          });
        },
      );

      await t.step("at phone width in the light theme both pages fit the screen", async () => {
        await withPage(browser, { viewport: PHONE, colorScheme: "light" }, async (page) => {
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
        const response = await fetch(`${server.url}/metrics`);
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
