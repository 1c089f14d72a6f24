/**
 * End to end: with demo miners trading, the leaderboard page lists them as
 * the API does, is reachable from the site navigation, and each UID links
 * to its miner page.
 */
import { equal } from "node:assert/strict";
import type { Leaderboard } from "@/engine/leaderboard.ts";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";

Deno.test({
  name: "the leaderboard page lists the trading miners as the API does",
  ignore: !hasChromium,
  async fn() {
    const server = await startServerProcess([
      "--books",
      "1",
      "--demo-miners",
      "2",
      "--step-ms",
      "20",
      "--grace-seconds",
      "0",
    ]);
    const browser = await launchChromium();
    try {
      let api: Leaderboard;
      do {
        await new Promise((resolve) => setTimeout(resolve, 200));
        api = await (await fetch(`${server.url}/api/leaderboard`)).json();
      } while (api.rows.length < 2);
      const { context, page, errors } = await openPage(browser);
      await page.goto(server.url);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", {
        name: "Leaderboard",
      }).click();
      const table = page.getByRole("table", { name: "Leaderboard" });
      await table.waitFor();
      for (const row of api.rows) {
        await table.getByRole("cell", { name: String(row.uid), exact: true }).first().waitFor();
      }
      equal(await table.locator("tbody tr").count(), api.rows.length);
      await page.screenshot({ path: "test-results/leaderboard.png", fullPage: true });
      // Each UID links to its miner page; follow the first one there.
      const uid = api.rows[0].uid;
      await table.getByRole("link", { name: String(uid), exact: true }).click();
      await page.getByRole("heading", { name: `Miner ${uid}`, level: 1 }).waitFor();
      equal(new URL(page.url()).pathname, `/miners/${uid}`);
      equal(errors.length, 0, errors.join("; "));
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
