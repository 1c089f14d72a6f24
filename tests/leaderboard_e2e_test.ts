/**
 * End to end: with demo miners trading and forecasting, the leaderboard page
 * — reached from the site navigation — shows what GET /api/leaderboard says:
 * every visible figure of every row (score components, what each pool gave,
 * weight, u16 weight on chain) and the pools' shares, as the page formats
 * them; on a phone the less important columns hide and the table still
 * fits; each UID links to its miner page.
 *
 * The page refreshes every 2 s while the market moves on, so the test lets
 * one real API response through to the page and answers every later refresh
 * with that same response: the page then holds still on a known answer.
 */
import { equal, ok } from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  formatScore,
  formatSetAt,
  formatShare,
  formatU16,
  type Leaderboard,
  type LeaderboardRow,
} from "@/engine/leaderboard.ts";
import { U16_MAX } from "@/engine/scoring/u16_weights.ts";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";

/** Two demo miners; fast forecast rounds so the forecast pool has a share within seconds. */
const SERVER_ARGS = [
  ...["--books", "1", "--demo-miners", "2", "--step-ms", "20", "--grace-seconds", "0"],
  ...["--forecast-interval-seconds", "5", "--forecast-cadence-seconds", "15"],
  ...["--forecast-horizon", "10"],
];
const PHONE_WIDTH = 390;
/** How long the market gets to score both miners in both pools and set weights. */
const READY_TIMEOUT_MS = 120_000;

/** Each column by its header, and its text for a row as the API has it. */
const COLUMNS: Record<string, (row: LeaderboardRow) => string> = {
  "UID": (row) => `Miner ${row.uid}`,
  "Hotkey": (row) => row.hotkey ? `${row.hotkey.slice(0, 6)}…${row.hotkey.slice(-4)}` : "—",
  "Fills": (row) => row.fills.toLocaleString("en-US"),
  "Realised PnL": (row) => formatScore(row.realizedPnl, 2),
  "Kappa": (row) => formatScore(row.kappa),
  "PnL score": (row) => formatScore(row.pnl),
  "Trading score": (row) => formatScore(row.trading),
  "Trading pool": (row) => formatShare(row.pools?.trading ?? null),
  "Training pool": (row) => formatShare(row.pools?.training ?? null),
  "Forecast pool": (row) => formatShare(row.pools?.forecast ?? null),
  "Weight": (row) => formatShare(row.weight),
  "On chain": (row) => formatU16(row.chainWeight),
};
/** What a phone still shows. */
const PHONE_COLUMNS = ["UID", "Realised PnL", "Trading score", "Weight", "On chain"];

/** Whether both miners are scored, the forecast pool pays and weights are on chain. */
const ready = (board: Leaderboard) =>
  board.rows.length >= 2 && (board.pools?.forecast ?? 0) > 0 && board.chainWeights !== null &&
  board.rows.every((row) => row.pools !== null && row.chainWeight !== null);

async function readyLeaderboard(url: string): Promise<Leaderboard> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const board: Leaderboard = await (await fetch(`${url}/api/leaderboard`)).json();
    if (ready(board)) return board;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The leaderboard was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

/**
 * Lets the page's GET /api/leaderboard answers through until one is ready,
 * then answers every later one with that same body; resolves to it once the
 * page shows it.
 */
async function holdLeaderboard(page: Page): Promise<Leaderboard> {
  let held: Leaderboard | undefined;
  const { promise, resolve, reject } = Promise.withResolvers<Leaderboard>();
  const timer = setTimeout(
    () => reject(new Error(`The page got no ready leaderboard within ${READY_TIMEOUT_MS} ms`)),
    READY_TIMEOUT_MS,
  );
  await page.route("**/api/leaderboard", async (route) => {
    if (held !== undefined) return route.fulfill({ json: held });
    const response = await route.fetch();
    const board: Leaderboard = await response.json();
    if (ready(board)) resolve(held = board);
    await route.fulfill({ response });
  });
  const board = await promise.finally(() => clearTimeout(timer));
  await page.getByRole("status").filter({ hasText: `Round ${board.round} · ` }).waitFor();
  return board;
}

/** Checks every row's visible cells and the pool summary against `board`; returns the visible headers. */
async function assertPageShows(page: Page, board: Leaderboard): Promise<string[]> {
  const table = page.getByRole("table", { name: "Leaderboard" });
  // Columns a phone hides are out of the accessibility tree, so read every header from the markup.
  const headers = table.locator("thead th");
  const names = (await headers.allTextContents()).map((name) => name.trim());
  equal(names.join(" | "), Object.keys(COLUMNS).join(" | "));
  const visible: string[] = [];
  for (const [i, name] of names.entries()) {
    if (await headers.nth(i).isVisible()) visible.push(name);
  }
  equal(await table.locator("tbody tr").count(), board.rows.length);
  for (const row of board.rows) {
    const line = table.getByRole("row").filter({
      has: page.getByRole("rowheader", { name: `Miner ${row.uid}`, exact: true }),
    });
    const cells = line.locator("th, td");
    for (const [i, name] of names.entries()) {
      const cell = cells.nth(i);
      equal(await cell.isVisible(), visible.includes(name), `UID ${row.uid}'s ${name} visibility`);
      if (!visible.includes(name)) continue;
      equal((await cell.textContent())?.trim(), COLUMNS[name](row), `UID ${row.uid}'s ${name}`);
    }
  }
  const pools = page.getByRole("region", { name: "Reward pools" });
  const figure = (label: string) => pools.getByLabel(label, { exact: true }).textContent();
  equal(await figure("Trading"), formatShare(board.pools!.trading));
  equal(await figure("Training"), formatShare(board.pools!.training));
  equal(await figure("Forecast"), formatShare(board.pools!.forecast));
  await pools.getByText(`Weights last set on chain: ${formatSetAt(board.chainWeights)}.`).waitFor();
  equal(await pools.getByLabel("Burn").count(), 0);
  return visible;
}

Deno.test({
  name: "the leaderboard page shows every figure as the API does, pools included",
  ignore: !hasChromium,
  async fn(t) {
    const server = await startServerProcess(SERVER_ARGS);
    const browser = await launchChromium();
    try {
      const api = await readyLeaderboard(server.url);
      // The API's own sums: a miner's pool columns make its weight; the pools make the emission.
      for (const row of api.rows) {
        const parts = row.pools!.trading + row.pools!.training + row.pools!.forecast;
        ok(Math.abs(parts - row.weight!) < 1e-9, `UID ${row.uid}: ${parts} vs ${row.weight}`);
      }
      const { trading, training, forecast, burn } = api.pools!;
      ok(Math.abs(trading + training + forecast + burn - 1) < 1e-9);
      ok(forecast > 0 && forecast < trading, `forecast share ${forecast}, trading ${trading}`);
      ok(api.rows.some((row) => row.chainWeight === U16_MAX), "the top weight is stored as 65535");

      await t.step("on a desktop every column matches the API", async () => {
        const { context, page, errors } = await openPage(browser);
        await page.goto(server.url);
        const held = holdLeaderboard(page);
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", {
          name: "Leaderboard",
        }).click();
        const board = await held;
        const visible = await assertPageShows(page, board);
        equal(visible.join(" | "), Object.keys(COLUMNS).join(" | "));
        await page.screenshot({ path: "test-results/leaderboard.png", fullPage: true });
        // Each UID links to its miner page; follow the first one there.
        const uid = board.rows[0].uid;
        await page.getByRole("table", { name: "Leaderboard" })
          .getByRole("link", { name: `Miner ${uid}`, exact: true }).click();
        await page.getByRole("heading", { name: `Miner ${uid}`, level: 1 }).waitFor();
        equal(new URL(page.url()).pathname, `/miners/${uid}`);
        equal(errors.length, 0, errors.join("; "));
        await context.close();
      });

      await t.step("on a phone the main columns show, match and fit", async () => {
        const { context, page, errors } = await openPage(browser);
        await page.setViewportSize({ width: PHONE_WIDTH, height: 844 });
        const held = holdLeaderboard(page);
        await page.goto(`${server.url}/leaderboard`);
        const board = await held;
        const visible = await assertPageShows(page, board);
        equal(visible.join(" | "), PHONE_COLUMNS.join(" | "));
        const overflow = await page.evaluate(() => {
          const scroller = document.querySelector(".table-scroll")!;
          return {
            page: document.documentElement.scrollWidth,
            table: scroller.scrollWidth - scroller.clientWidth,
          };
        });
        ok(overflow.page <= PHONE_WIDTH, `the page is ${overflow.page} px wide`);
        equal(overflow.table, 0, "the table scrolls sideways");
        await page.screenshot({ path: "test-results/leaderboard_phone.png", fullPage: true });
        equal(errors.length, 0, errors.join("; "));
        await context.close();
      });
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
