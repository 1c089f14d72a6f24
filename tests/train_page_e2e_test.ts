/**
 * End to end: the real validator process serves the training page; Chromium
 * starts a tiny GenTRX run in the page's training worker, watches the loss
 * fall, stops it, and generates orders from the trained weights with
 * onnxruntime-web.
 */
import { ensureWasmBuild } from "@/server/native_library.ts";
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";

const wasmAvailable = (await ensureWasmBuild(() => {})) !== undefined;

/** The loss must fall below this fraction of the first step's loss. */
const LOSS_FALL = 0.85;
/** Long enough for a few dozen CPU steps of the tiny model on a loaded 2-core machine. */
const TRAINING_TIMEOUT_MS = 120_000;
const ORDERS = 5;

Deno.test({
  name: "training page trains in a worker, the loss falls, and orders are generated",
  ignore: !hasChromium,
  async fn() {
    const server = await startServerProcess(["--books", "1", "--seed", "7"]);
    const browser = await launchChromium();
    try {
      const { context, page, errors: consoleErrors } = await openPage(browser);

      await page.goto(`${server.url}/train`);
      await page.getByRole("heading", { name: "Train GenTRX" }).waitFor();
      await page.getByRole("button", { name: "Start training" }).click();
      await page.getByRole("status").filter({ hasText: "on the CPU" }).waitFor();

      const firstLoss = page.getByLabel("First loss", { exact: true });
      await page.waitForFunction(
        () => Number(document.querySelector("[aria-label='First loss']")?.textContent) > 0,
      );
      const first = Number(await firstLoss.innerText());
      await page.waitForFunction(
        ([first, fall]) =>
          Number(document.querySelector("[aria-label='Loss']")?.textContent) < first * fall,
        [first, LOSS_FALL],
        { timeout: TRAINING_TIMEOUT_MS },
      );
      const steps = Number(await page.getByLabel("Step", { exact: true }).innerText());
      if (!(steps > 1)) throw new Error(`Expected several steps, saw ${steps}`);
      const rate = Number(await page.getByLabel("Tokens per second", { exact: true }).innerText());
      if (!(rate > 0)) throw new Error(`Expected a positive tokens/s, saw ${rate}`);

      await page.getByRole("button", { name: "Stop training" }).click();
      await page.getByRole("status").filter({ hasText: "Stopped after" }).waitFor();

      await page.getByLabel("Orders", { exact: true }).fill(String(ORDERS));
      await page.getByRole("button", { name: "Generate orders" }).click();
      const table = page.getByRole("table", { name: "Generated orders" });
      await table.getByRole("row").nth(ORDERS).waitFor();
      const rows = await table.getByRole("row").count();
      if (rows !== ORDERS + 1) throw new Error(`Expected ${ORDERS} orders, saw ${rows - 1}`);
      await page.getByText(`Generated ${ORDERS} orders with onnxruntime-web`).waitFor();
      // With emscripten the orders also ran through the exchange's WebAssembly build.
      if (wasmAvailable) {
        await page.getByText(/replayed in the WebAssembly exchange: \d+ trades/).waitFor();
      }
      if (consoleErrors.length > 0) throw new Error(`Console errors: ${consoleErrors.join("; ")}`);
      await context.close();

      // Only the runtime's own files are served from node_modules.
      const outside = await fetch(`${server.url}/ort/..%2F..%2Fdeno.json`);
      const body = await outside.text();
      if (
        outside.status !== 404 || !body.startsWith('Unknown onnxruntime-web file "../../deno.json"')
      ) {
        throw new Error(
          `Expected a 404 for a file outside the runtime, got ${outside.status}: ${body}`,
        );
      }
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
