import { assertAllClose } from "@/engine/gentrx/ops/_gradient_check.ts";
import { bundleIslands } from "@/server/fresh_lite/bundle.ts";
import { repoPath } from "@/server/paths.ts";
import { hasChromium, launchChromium } from "@/tests/browser.ts";
import type { SmokeResult } from "@/workers/gentrx/_browser_smoke.ts";

/** Loopback origin the page is served from (requests are answered by page.route, no server). */
const ORIGIN = "http://localhost:8790";
/** Same model and batch as the Deno test's comparison, on another compiler and adapter. */
const tolerance = { atol: 1e-5, rtol: 1e-5 };

Deno.test({
  name: "in Chromium (SwiftShader on CI), the bundled WGSL trains like the CPU model",
  ignore: !hasChromium,
  async fn() {
    const bundle = await bundleIslands(
      { "gentrx_smoke": repoPath("workers/gentrx/_browser_smoke.ts") },
      repoPath("tsconfig.json"),
    );
    // Chromium's WebGPU is off for CPU adapters unless unsafe WebGPU is allowed (ml.md §1).
    const browser = await launchChromium({ webgpu: true });
    try {
      const page = await browser.newPage();
      await page.route(`${ORIGIN}/**`, (route) => {
        const path = new URL(route.request().url()).pathname;
        const file = bundle.files.get(path);
        return file === undefined
          ? route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html>" })
          : route.fulfill({
            status: 200,
            contentType: "text/javascript",
            body: new TextDecoder().decode(file),
          });
      });
      await page.goto(`${ORIGIN}/`);
      const result: SmokeResult = await page.evaluate(async () => {
        const { runSmoke } = await import("/_islands/gentrx_smoke.js");
        return runSmoke();
      });
      assertAllClose(result.gpuLosses, result.cpuLosses, tolerance, `losses on ${result.adapter}`);
    } finally {
      await browser.close();
    }
  },
});
