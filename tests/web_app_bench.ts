/**
 * Benchmarks of the web app in real Chromium (issue 7's quality bar), with
 * the validator stepping its market at 10 Hz (`--step-ms 100`):
 * - `web.book_page_interactive_ms`: from navigation to a live book page —
 *   the feed "Live", the ladder filled and one live update drawn — median of
 *   fresh browser contexts (no cache); goal under 1,000 ms on loopback;
 * - `web.js_kb.<page>`: JavaScript a first visit downloads, per page, to show
 *   that island bundles stay small and split per page;
 * - `web.book_page_updates_per_s`: live updates the book page draws per
 *   second (the feed's 10 Hz);
 * - `web.book_page_long_frames_pct`: animation frames over 50 ms while
 *   those updates arrive (dropped frames), in percent.
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { median, report } from "@/engine/bench_report.ts";
import { hasChromium, launchChromium, startServerProcess } from "@/tests/browser.ts";

const VISITS = 7;
/** The operator key the bench's validator runs with, so the dashboard is measured signed in. */
const OPERATOR_KEY = "web-app-bench-operator-key";
const PAGES = {
  markets: "/",
  book: "/books/0",
  leaderboard: "/leaderboard",
  miner: "/miner",
  // Signs in (a session cookie, then the dashboard at /validator).
  validator: `/validator?key=${OPERATOR_KEY}`,
  forecasts: "/forecasts",
  train: "/train",
};
const WATCH_MS = 10_000;
const LONG_FRAME_MS = 50;

/** Resolves once the book page is live: feed connected, ladder filled, one update drawn. */
async function untilLive(page: Page): Promise<void> {
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  await page.getByRole("table", { name: "Order book" }).getByRole("row").nth(3).waitFor();
  const step = Number(await page.getByTestId("step").innerText());
  await page.waitForFunction(
    (before) => Number(document.querySelector("[data-testid=step]")?.textContent) > before,
    step,
  );
}

async function interactiveMs(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${url}${PAGES.book}`);
    await untilLive(page);
    return performance.now() - started;
  } finally {
    await context.close();
  }
}

async function scriptBytes(browser: Browser, url: string, path: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const bodies: Promise<number>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") {
        bodies.push(response.body().then((body) => body.length, () => 0));
      }
    });
    await page.goto(`${url}${path}`, { waitUntil: "networkidle" });
    return (await Promise.all(bodies)).reduce((sum, bytes) => sum + bytes, 0);
  } finally {
    await context.close();
  }
}

/** Step updates drawn and animation frame lengths over WATCH_MS on a live book page. */
async function watch(browser: Browser, url: string) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}${PAGES.book}`);
    await untilLive(page);
    return await page.evaluate(
      (watchMs) =>
        new Promise<{ updates: number; frames: number[] }>((resolve) => {
          const target = document.querySelector("[data-testid=step]")!;
          let updates = 0;
          const observer = new MutationObserver(() => updates++);
          observer.observe(target, { childList: true, characterData: true, subtree: true });
          const frames: number[] = [];
          const started = performance.now();
          let last = started;
          const frame = (now: number) => {
            frames.push(now - last);
            last = now;
            if (now - started < watchMs) requestAnimationFrame(frame);
            else {
              observer.disconnect();
              resolve({ updates, frames: frames.slice(1) });
            }
          };
          requestAnimationFrame(frame);
        }),
      WATCH_MS,
    );
  } finally {
    await context.close();
  }
}

if (!hasChromium) {
  console.error("web_app_bench: skipped, Debian chromium is not installed");
} else {
  const server = await startServerProcess([
    ...["--books", "4", "--demo-miners", "2", "--step-ms", "100", "--grace-seconds", "0"],
    ...["--operator-key", OPERATOR_KEY],
  ]);
  const browser = await launchChromium();
  try {
    await interactiveMs(browser, server.url); // warm the server's bundles
    const times: number[] = [];
    for (let visit = 0; visit < VISITS; visit++) {
      times.push(await interactiveMs(browser, server.url));
    }
    report({ bench: "web.book_page_interactive_ms", value: round(median(times)), unit: "ms" });
    for (const [name, path] of Object.entries(PAGES)) {
      const bytes = await scriptBytes(browser, server.url, path);
      report({ bench: `web.js_kb.${name}`, value: round(bytes / 1024), unit: "KiB" });
    }
    const { updates, frames } = await watch(browser, server.url);
    report({
      bench: "web.book_page_updates_per_s",
      value: round(updates / (WATCH_MS / 1000)),
      unit: "updates/s",
    });
    const long = frames.filter((ms) => ms > LONG_FRAME_MS).length;
    report({
      bench: "web.book_page_long_frames_pct",
      value: round(100 * long / Math.max(1, frames.length)),
      unit: "%",
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
