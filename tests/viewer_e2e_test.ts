/**
 * End to end: the public market viewer in Debian's Chromium against a real
 * validator process. Each step opens a fresh browser context and acts like
 * a visitor: it reads the live overview, opens a book, switches candle
 * intervals, reads the page without JavaScript, switches themes and checks
 * the phone layout. Screenshots of the main pages go to test-results/.
 */
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { hasChromium, launchChromium, startServerProcess } from "@/tests/browser.ts";
import { repoPath } from "@/server/paths.ts";

const SCREENSHOTS = repoPath("test-results");
const BOOKS = 3;
const PHONE = { width: 390, height: 844 };

async function withPage(
  browser: Browser,
  options: BrowserContextOptions,
  use: (page: Page, consoleErrors: string[]) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await use(page, consoleErrors);
    if (consoleErrors.length > 0) throw new Error(`Console errors: ${consoleErrors.join("; ")}`);
  } finally {
    await context.close();
  }
}

Deno.test({
  name: "the market viewer shows live books, book pages and candles",
  ignore: !hasChromium,
  async fn(t) {
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    const server = await startServerProcess(["--books", String(BOOKS), "--seed", "11"]);
    const browser = await launchChromium();
    try {
      await t.step("the overview lists every book and updates it live", async () => {
        const options = { viewport: { width: 1440, height: 900 }, colorScheme: "dark" as const };
        await withPage(browser, options, async (page) => {
          await page.goto(server.url);
          const table = page.getByRole("table", { name: "Live books" });
          await table.getByRole("row").nth(BOOKS).waitFor();
          const rows = await table.getByRole("row").count();
          if (rows !== BOOKS + 1) throw new Error(`Expected ${BOOKS} books, saw ${rows - 1}`);
          const before = await table.innerText();
          await page.waitForFunction(
            (text) => document.querySelector("table.markets")?.textContent !== text,
            await table.textContent(),
          );
          if ((await table.innerText()) === before) throw new Error("The overview did not update");
          await table.getByRole("img", { name: "Book 0, last hour of closes" }).waitFor();
          await page.screenshot({ path: `${SCREENSHOTS}/viewer-overview.png`, fullPage: true });
        });
      });

      await t.step(
        "a book page shows ladder, depth, trades and switchable live candles",
        async () => {
          const options = { viewport: { width: 1440, height: 1000 }, colorScheme: "dark" as const };
          await withPage(browser, options, async (page) => {
            await page.goto(server.url);
            await page.getByRole("link", { name: "Book 1" }).click();
            await page.waitForURL(`${server.url}/books/1`);
            await page.getByRole("heading", { name: "Book 1" }).waitFor();
            await page.getByRole("status").filter({ hasText: "Live" }).waitFor();

            const ladder = page.getByRole("table", { name: "Order book" });
            await ladder.getByRole("row").nth(3).waitFor();
            await page.getByRole("img", { name: /^Depth: / }).waitFor();
            await page.getByRole("table", { name: "Last trades" }).getByRole("row").nth(2)
              .waitFor();

            await page.getByRole("img", { name: /^1m candles of book 1: [1-9]\d* candles/ })
              .waitFor();
            await page.getByRole("radio", { name: "10s" }).check();
            await page.getByRole("img", { name: /^10s candles of book 1: [1-9]\d* candles/ })
              .waitFor();
            // The interval buttons are a radio group: arrow keys move between them.
            await page.getByRole("radio", { name: "10s" }).focus();
            await page.keyboard.press("ArrowLeft");
            await page.getByRole("img", { name: /^1s candles of book 1: ([2-9]|\d\d+) candles/ })
              .waitFor();

            const step = Number(await page.getByTestId("step").innerText());
            await page.waitForFunction(
              (before) =>
                Number(document.querySelector("[data-testid=step]")?.textContent) > before,
              step,
            );
            await page.screenshot({ path: `${SCREENSHOTS}/viewer-book.png`, fullPage: true });
          });
        },
      );

      await t.step("without JavaScript the book page still shows its figures", async () => {
        await withPage(browser, { javaScriptEnabled: false }, async (page) => {
          await page.goto(`${server.url}/books/2`);
          await page.getByRole("heading", { name: "Book 2" }).waitFor();
          await page.getByRole("table", { name: "Order book" }).getByRole("row").nth(3).waitFor();
          await page.getByRole("table", { name: "Last trades" }).getByRole("row").nth(1).waitFor();
          await page.getByRole("img", { name: /^Depth: / }).waitFor();
          await page.getByText("The candle chart needs JavaScript").waitFor();
        });
      });

      await t.step("the theme switch applies light and dark and is remembered", async () => {
        await withPage(browser, { colorScheme: "dark" }, async (page) => {
          await page.goto(`${server.url}/books/0`);
          await page.getByRole("button", { name: "Switch to light theme" }).click();
          await page.getByRole("button", { name: "Switch to dark theme" }).waitFor();
          await page.reload();
          const theme = await page.evaluate(() => document.documentElement.dataset.theme);
          if (theme !== "light") {
            throw new Error(`Expected the light theme after a reload, got ${theme}`);
          }
          await page.getByRole("img", { name: /candles of book 0: [1-9]\d* candles/ }).waitFor();
          await page.screenshot({ path: `${SCREENSHOTS}/viewer-book-light.png`, fullPage: true });
        });
      });

      await t.step("at phone width the pages fit the screen", async () => {
        await withPage(browser, { viewport: PHONE, colorScheme: "light" }, async (page) => {
          for (const [path, name] of [["/", "overview"], ["/books/1", "book"]]) {
            await page.goto(`${server.url}${path}`);
            await page.getByRole("heading", { level: 1 }).waitFor();
            await page.getByRole("status").filter({ hasText: "Live" }).or(
              page.getByRole("table", { name: "Live books" }),
            ).first().waitFor();
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            if (width > PHONE.width) {
              throw new Error(`The ${name} page is ${width} px wide at a ${PHONE.width} px screen`);
            }
            await page.screenshot({
              path: `${SCREENSHOTS}/viewer-${name}-phone.png`,
              fullPage: true,
            });
          }
        });
      });
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
