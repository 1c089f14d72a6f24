/**
 * End to end: mining from a browser tab. The real validator process serves
 * /miner; Chromium gets a wallet injected by an init script — the
 * `window.injectedWeb3` that polkadot{.js} provides, its keys held in this
 * test process (@polkadot/keyring) and signing for real (signRaw wraps the
 * bytes in <Bytes> as the extension does; shared/reference/chain.md §4).
 * The page connects it, registers the hotkey on the local network, mines
 * live with an example agent in a web worker, and the fills show on the
 * miner's own page; a reload resumes the session from IndexedDB; and the
 * offline run trades in a worker against the WebAssembly exchange; a tab
 * that opts into the forecast pool has its forecasts scored.
 */
import { equal, ok } from "node:assert/strict";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import type { Page } from "playwright-core";
import type { MinerDetail } from "@/engine/browser_miner/miner_detail.ts";
import type { ForecastBoardView } from "@/engine/forecast/forecast_view.ts";
import { ensureWasmBuild } from "@/server/native_library.ts";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";
import { injectTestWallet } from "@/tests/browser_wallet.ts";

const wasmAvailable = (await ensureWasmBuild(() => {})) !== undefined;
/** Generous for a loaded 2-core machine: live fills need the market and the miner to meet. */
const LIVE_TIMEOUT_MS = 60_000;
/** A phone's CSS width (iPhone 12–15). */
const PHONE_WIDTH = 390;

await cryptoWaitReady();
const keyring = new Keyring({ type: "sr25519" });
const accounts = [
  keyring.addFromUri("//BrowserMinerA", { name: "Browser miner A" }),
  keyring.addFromUri("//BrowserMinerB", { name: "Browser miner B" }),
];

/** The test wallet with this file's accounts (tests/browser_wallet.ts). */
const injectWallet = (page: Page) => injectTestWallet(page, accounts);

/** The number a labelled figure shows (islands/_miner_figures.tsx Figure). */
async function figure(page: Page, label: string): Promise<number> {
  const text = await page.getByLabel(label, { exact: true }).innerText();
  const number = text.replace(/,/g, "").replace("−", "-").match(/-?\d+(\.\d+)?/);
  if (number === null) throw new Error(`Figure "${label}" shows no number: "${text}"`);
  return Number(number[0]);
}

/** Connects the test wallet, picks `hotkey` and registers it on the local network; returns its UID. */
async function register(page: Page, hotkey: string): Promise<number> {
  await page.getByRole("heading", { name: "Mine on this validator" }).waitFor();
  await page.getByRole("button", { name: "Connect wallet" }).click();
  await page.getByLabel("Hotkey account").selectOption(hotkey);
  await page.getByRole("button", { name: "Register on the local network" }).click();
  const registered = page.getByRole("status").filter({ hasText: /Registered as UID \d+/ });
  await registered.waitFor();
  return Number((await registered.innerText()).match(/UID (\d+)/)![1]);
}

async function waitForFigure(
  page: Page,
  label: string,
  atLeast: number,
  timeout = LIVE_TIMEOUT_MS,
) {
  await page.waitForFunction(
    ([label, atLeast]) => {
      const term = [...document.querySelectorAll("dt")].find((dt) => dt.textContent === label);
      const value = term?.nextElementSibling?.textContent?.replace(/,/g, "");
      return value !== undefined && Number(value) >= Number(atLeast);
    },
    [label, String(atLeast)],
    { timeout },
  );
}

Deno.test({
  name:
    "a browser wallet connects, mines live from the tab, its fills show on its page and the leaderboard, and a reload resumes",
  ignore: !hasChromium,
  async fn() {
    const server = await startServerProcess([
      ...["--books", "2", "--demo-miners", "1", "--step-ms", "50", "--grace-seconds", "0"],
    ]);
    const browser = await launchChromium();
    try {
      const { context, page, errors } = await openPage(browser);
      const wallet = await injectWallet(page);
      await page.goto(`${server.url}/miner`);
      const hotkey = accounts[1].address;
      const uid = await register(page, hotkey);

      await page.getByLabel("Example agent").selectOption("random_taker");
      await page.getByRole("button", { name: "Go live" }).click();
      const status = page.getByRole("status", { name: "Miner status" });
      await status.filter({ hasText: `Mining live: Mining as UID ${uid}` }).waitFor();
      // The agent answers in its worker; the session key signs every frame.
      ok(page.workers().some((worker) => worker.url().endsWith("/workers/agent_worker.js")));
      await waitForFigure(page, "Fills", 1);
      await waitForFigure(page, "States answered", 20);
      equal(wallet.signed(), 1, "the wallet signs once per session, never per message");
      equal(await figure(page, "Wallet signatures"), 1);
      ok((await figure(page, "Answer latency")) >= 0);
      await page.screenshot({ path: "test-results/browser_miner_live.png", fullPage: true });

      // The miner's page, from the validator's ledger, while the tab keeps mining.
      const minerPage = await context.newPage();
      await minerPage.goto(`${server.url}/miners/${uid}`);
      await minerPage.getByRole("heading", { name: `Miner ${uid}` }).waitFor();
      await waitForFigure(minerPage, "Fills", 1);
      const fillsTable = minerPage.getByRole("table", { name: "Fills" });
      await fillsTable.locator("tbody tr td.num").first().waitFor();
      await minerPage.getByRole("img", { name: "Realised PnL curve" }).locator("canvas").first()
        .waitFor();
      const detail: MinerDetail = await (await fetch(`${server.url}/api/miners/${uid}`)).json();
      equal(detail.hotkey, hotkey);
      equal(detail.connected, true);
      ok(detail.fills > 0 && detail.volume > 0 && detail.pnlCurve.length > 0);
      await minerPage.screenshot({ path: "test-results/miner_page.png", fullPage: true });

      // The newcomer's agent is on the leaderboard, with its fills.
      await minerPage.goto(`${server.url}/leaderboard`);
      const row = minerPage.getByRole("table", { name: "Leaderboard" }).getByRole("row")
        .filter({ has: minerPage.getByRole("link", { name: `Miner ${uid}`, exact: true }) });
      await row.waitFor();
      // The UID is the row's header; its cells start with the hotkey, then the fills.
      ok(Number((await row.getByRole("cell").nth(1).innerText()).replace(/,/g, "")) > 0);
      equal(await row.getByRole("cell").nth(0).getAttribute("title"), hotkey);
      await minerPage.close();

      // A reload resumes: same settings from IndexedDB, a fresh grant, the same UID.
      const answeredBefore = await figure(page, "States answered");
      ok(answeredBefore >= 20);
      await page.reload();
      await status.filter({ hasText: `Mining live: Mining as UID ${uid}` }).waitFor({
        timeout: LIVE_TIMEOUT_MS,
      });
      equal(await page.getByLabel("Example agent").inputValue(), "random_taker");
      equal(await page.getByLabel("Hotkey account").inputValue(), hotkey);
      await waitForFigure(page, "States answered", 5);
      equal(wallet.signed(), 2, "one grant for the first session, one after the reload");
      const after: MinerDetail = await (await fetch(`${server.url}/api/miners/${uid}`)).json();
      ok(after.fills >= detail.fills, "the ledger carries on across the reload");

      await page.getByRole("button", { name: "Stop" }).click();
      await status.filter({ hasText: "Stopped" }).waitFor();
      equal(errors.length, 0, errors.join("; "));
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "the offline run trades an edited agent in a worker against the WebAssembly exchange",
  ignore: !hasChromium || !wasmAvailable,
  async fn() {
    const server = await startServerProcess(["--books", "1", "--demo-miners", "0"]);
    const browser = await launchChromium();
    try {
      const { context, page, errors } = await openPage(browser);
      await page.goto(`${server.url}/miner`);
      await page.getByLabel("Example agent").selectOption("join_the_touch");
      // The editor (CodeMirror) compiles in the worker: a line added here logs from there.
      const editor = page.locator(".cm-content");
      await editor.waitFor();
      await editor.click();
      await page.keyboard.press("Control+End");
      await page.keyboard.type('\nconsole.log("edited in the tab");\n');
      await page.getByLabel("Offline steps").fill("120");
      await page.getByRole("button", { name: "Run offline" }).click();
      const status = page.getByRole("status", { name: "Miner status" });
      await status.filter({ hasText: "Running offline" }).waitFor();
      ok(page.workers().some((worker) => worker.url().endsWith("/workers/agent_worker.js")));
      await status.filter({ hasText: "Offline run finished after 120 simulated seconds" }).waitFor({
        timeout: LIVE_TIMEOUT_MS,
      });
      equal(await figure(page, "States answered"), 120);
      ok((await figure(page, "Fills")) > 0, "the agent traded offline");
      await page.getByLabel("Agent log").filter({ hasText: "edited in the tab" }).waitFor();
      await page.getByLabel("Agent log").filter({ hasText: /Filled [\d.]+ on book 0/ }).waitFor();
      equal(await page.getByLabel("Example agent").inputValue(), "custom");
      await page.screenshot({ path: "test-results/browser_miner_offline.png", fullPage: true });
      // Down to a phone's width nothing sticks out sideways.
      await page.setViewportSize({ width: PHONE_WIDTH, height: 844 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      ok(width <= PHONE_WIDTH, `the page is ${width} px wide at a ${PHONE_WIDTH} px viewport`);
      await page.screenshot({ path: "test-results/browser_miner_phone.png" });
      equal(errors.length, 0, errors.join("; "));
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});

Deno.test({
  name:
    "a browser miner opts into the forecast pool: its forecasts are committed, revealed and scored",
  ignore: !hasChromium,
  async fn() {
    const server = await startServerProcess([
      ...["--books", "1", "--demo-miners", "1", "--step-ms", "40", "--grace-seconds", "0"],
      ...["--forecast-interval-seconds", "5", "--forecast-cadence-seconds", "15"],
      ...["--forecast-horizon", "10"],
    ]);
    const browser = await launchChromium();
    try {
      const { context, page, errors } = await openPage(browser);
      await injectWallet(page);
      await page.goto(`${server.url}/miner`);
      const hotkey = accounts[0].address;
      const uid = await register(page, hotkey);
      await page.getByLabel("Forecast pool").selectOption("forecast_smoothing");
      await page.getByRole("button", { name: "Go live" }).click();
      await page.getByRole("status", { name: "Miner status" })
        .filter({ hasText: "answering the forecast pool" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
      await waitForFigure(page, "Forecasts scored", 1);
      ok((await figure(page, "Forecasts committed")) >= 1);
      const skill = await figure(page, "Mean skill vs naive");
      ok(skill >= 0 && skill <= 1, `skill ${skill}`);
      await page.screenshot({ path: "test-results/browser_miner_forecasts.png", fullPage: true });

      // The validator scored the tab's revealed forecast like any miner's.
      const board: ForecastBoardView = await (await fetch(`${server.url}/api/forecasts`)).json();
      const lines = board.streams.flatMap((stream) => stream.requests)
        .filter((request) => request.status === "scored")
        .flatMap((request) => request.forecasts)
        .filter((line) => line.hotkey === hotkey);
      ok(lines.length >= 1, "a scored request holds the tab's forecast");
      ok(lines.some((line) => line.uid === uid && line.reason === "ok"), JSON.stringify(lines));
      await page.getByRole("button", { name: "Stop" }).click();
      equal(errors.length, 0, errors.join("; "));
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
