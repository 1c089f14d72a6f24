/**
 * End to end: `deno task start` with demo miners runs the forecast pool on a
 * simulated book (5-second candles and a 10-close horizon so a round
 * matures in seconds); the API shows scored requests and the forecast
 * ledger, and the forecasts page — reached from the site navigation — draws
 * the fan and the leaderboard as the API reports them.
 */
import { equal, ok } from "node:assert/strict";
import type { ForecastBoardView } from "@/engine/forecast/forecast_view.ts";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";

const FAST_FORECASTS = [
  ...["--books", "1", "--demo-miners", "2", "--step-ms", "60", "--grace-seconds", "0"],
  ...["--forecast-interval-seconds", "5", "--forecast-cadence-seconds", "15"],
  ...["--forecast-horizon", "10"],
];

async function scoredBoard(url: string): Promise<ForecastBoardView> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const board: ForecastBoardView = await (await fetch(`${url}/api/forecasts`)).json();
    const scored = board.streams[0]?.requests.some((request) => request.status === "scored");
    if (scored && board.leaderboard.length >= 2) return board;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("No forecast request was scored within 60 s");
}

Deno.test("forecast API: a simulated book's requests are committed, revealed and scored", async () => {
  const server = await startServerProcess(FAST_FORECASTS);
  try {
    const board = await scoredBoard(server.url);
    equal(board.horizon, 10);
    const [stream] = board.streams;
    equal(stream.id, "book-0-5s");
    ok(stream.closes.length >= 10);
    const scored = stream.requests.find((request) => request.status === "scored")!;
    equal(scored.actual?.length, 10);
    // Both demo miners (naive and smoothing forecasters) committed and revealed.
    equal(scored.forecasts.filter((line) => line.reason === "ok").length, 2);
    for (const line of scored.forecasts) ok(line.skill! >= 0 && line.skill! <= 1);
    const one = await fetch(`${server.url}/api/forecasts/${stream.id}`);
    equal(((await one.json()) as { id: string }).id, stream.id);
    const missing = await fetch(`${server.url}/api/forecasts/nope`);
    equal(missing.status, 404);
    equal(
      ((await missing.json()) as { error: string }).error,
      'Unknown forecast stream "nope": streams are book-0-5s',
    );
  } finally {
    await server.stop();
  }
});

Deno.test({
  name: "the forecasts page draws each stream's fan and the forecast leaderboard",
  ignore: !hasChromium,
  async fn() {
    const server = await startServerProcess(FAST_FORECASTS);
    const browser = await launchChromium();
    try {
      const board = await scoredBoard(server.url);
      const { context, page, errors } = await openPage(browser);
      await page.goto(server.url);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Forecasts" })
        .click();
      await page.getByRole("heading", { name: "Forecasts", level: 1 }).waitFor();
      await page.getByRole("img", { name: /Forecast fan for book-0-5s/ }).waitFor();
      const leaders = page.getByRole("table", { name: "Forecast leaderboard" });
      await leaders.waitFor();
      for (const row of board.leaderboard) {
        const short = `${row.hotkey.slice(0, 6)}…${row.hotkey.slice(-4)}`;
        await leaders.getByRole("cell", { name: short, exact: true }).waitFor();
      }
      equal(await leaders.locator("tbody tr").count(), board.leaderboard.length);
      const fan = page.locator("svg.forecast-fan polyline");
      ok(await fan.count() >= 3, "history, two forecasts (and what happened once scored)");
      await page.getByRole("table", { name: /^Forecasts of book-0-5s@/ }).waitFor();
      await page.screenshot({ path: "test-results/forecasts.png", fullPage: true });
      equal(errors.length, 0, errors.join("; "));
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
