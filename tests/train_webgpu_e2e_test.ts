/**
 * End to end on WebGPU: Chromium with unsafe WebGPU (SwiftShader here, a
 * real GPU elsewhere) opens the training page; the training worker picks the
 * WebGPU backend and the tiny model's loss falls.
 */
import { hasChromium, launchChromium, openPage, startServerProcess } from "@/tests/browser.ts";

/** The loss must fall below this fraction of the first step's loss. */
const LOSS_FALL = 0.9;
/** SwiftShader runs the kernels on the CPU: give it time. */
const TRAINING_TIMEOUT_MS = 150_000;

Deno.test({
  name: "the training worker trains on WebGPU in Chromium and the loss falls",
  ignore: !hasChromium,
  async fn() {
    const server = await startServerProcess(["--books", "1", "--demo-miners", "0"]);
    const browser = await launchChromium({ webgpu: true });
    try {
      const { context, page, errors } = await openPage(browser);
      await page.goto(`${server.url}/train`);
      await page.getByRole("button", { name: "Start training" }).click();
      await page.getByRole("status").filter({ hasText: "on WebGPU" }).waitFor({
        timeout: TRAINING_TIMEOUT_MS,
      });
      await page.waitForFunction(
        () => Number(document.querySelector("[aria-label='First loss']")?.textContent) > 0,
        undefined,
        { timeout: TRAINING_TIMEOUT_MS },
      );
      const first = Number(await page.getByLabel("First loss", { exact: true }).innerText());
      await page.waitForFunction(
        ([first, fall]) =>
          Number(document.querySelector("[aria-label='Loss']")?.textContent) < first * fall,
        [first, LOSS_FALL],
        { timeout: TRAINING_TIMEOUT_MS },
      );
      await page.getByRole("button", { name: "Stop training" }).click();
      if (errors.length > 0) throw new Error(`Console errors: ${errors.join("; ")}`);
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
