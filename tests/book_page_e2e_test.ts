/**
 * End to end: the real validator process serves a book page, Chromium opens
 * it like a visitor, and the ladder changes as the live feed arrives.
 */
import type { Page } from "playwright-core";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";

const tapeText = (page: Page) => page.getByRole("table", { name: "Last trades" }).innerText();

Deno.test({
  name: "book page shows a live ladder that updates from the feed",
  ignore: !hasChromium,
  async fn() {
    const server = await startServerProcess(["--books", "2", "--seed", "7"]);
    const browser = await launchChromium();
    try {
      const { context, page, errors: consoleErrors } = await openPage(browser);
      // How the page and its island scripts came over the wire (encoded_files.ts, compress()).
      const codings = new Map<string, string>();
      page.on("response", (response) => {
        const type = response.request().resourceType();
        if (type !== "document" && type !== "script") return;
        codings.set(
          new URL(response.url()).pathname,
          response.headers()["content-encoding"] ?? "none",
        );
      });

      await page.goto(server.url);
      await page.getByRole("link", { name: "Book 1" }).click();
      await page.waitForURL(`${server.url}/books/1`);
      await page.getByRole("heading", { name: "Book 1" }).waitFor();

      const ladder = page.getByRole("table", { name: "Order book" });
      await ladder.getByRole("row").nth(1).waitFor();
      await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
      const before = await ladder.innerText();
      const stepBefore = Number(await page.getByTestId("step").innerText());

      await page.waitForFunction(
        (step) => Number(document.querySelector("[data-testid=step]")?.textContent) > step + 5,
        stepBefore,
      );
      const after = await ladder.innerText();
      if (after === before) throw new Error("The ladder did not change as the feed arrived");
      const plain = [...codings].filter(([, coding]) => !["br", "gzip"].includes(coding));
      if (codings.size < 3 || plain.length > 0) {
        throw new Error(`Sent uncompressed: ${JSON.stringify(plain)} of ${codings.size}`);
      }
      const trades = await page.getByRole("table", { name: "Last trades" }).getByRole("row")
        .count();
      if (trades < 2) throw new Error(`Expected trades under the ladder, saw ${trades - 1}`);

      // A dropped socket (the one the page's head opened) reconnects and
      // follows the same channels again: the ladder and tape go on updating.
      await page.evaluate(() =>
        (globalThis as unknown as { __marketforgeFeed: { socket: WebSocket } })
          .__marketforgeFeed.socket.close()
      );
      await page.getByRole("status").filter({ hasText: "Reconnecting" }).waitFor();
      await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
      const [ladderBefore, tapeBefore] = [await ladder.innerText(), await tapeText(page)];
      const stepAfter = Number(await page.getByTestId("step").innerText());
      await page.waitForFunction(
        (step) => Number(document.querySelector("[data-testid=step]")?.textContent) > step + 10,
        stepAfter,
      );
      if (await ladder.innerText() === ladderBefore) {
        throw new Error("No ladder updates after a reconnect");
      }
      if (await tapeText(page) === tapeBefore) throw new Error("No trades after a reconnect");
      if (consoleErrors.length > 0) throw new Error(`Console errors: ${consoleErrors.join("; ")}`);
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
