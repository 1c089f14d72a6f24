/**
 * Shared set-up for browser tests: Debian's Chromium driven by
 * playwright-core (no browser downloads on these machines), and a real
 * validator process on a free loopback port.
 *
 * @module
 */
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { repoPath } from "@/server/paths.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Whether browser tests can run here; they are skipped (and say so) if not. */
export const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM_PATH).isFile;
  } catch {
    return false;
  }
})();

/**
 * Keeps headless Chromium off the network: this machine refuses outside
 * connections, and Chromium otherwise tries many.
 */
const OFFLINE_ARGS = [
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Headless Chromium is the whole browser: every new window (each Playwright
 * context) starts a renderer for the omnibox popup's WebUI, which took about
 * 0.7 s of CPU on these 2 cores while the page under test loaded. A user's
 * browser has its window open already, so tests and benchmarks leave it out.
 */
const NO_WINDOW_CHROME_ARGS = [
  "--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup",
];

/**
 * Launches headless Chromium. With `webgpu`, WebGPU is enabled on its
 * software adapter (SwiftShader); otherwise the GPU process stays off.
 */
export function launchChromium({ webgpu = false } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      ...(webgpu ? ["--enable-unsafe-webgpu"] : ["--disable-gpu"]),
      ...OFFLINE_ARGS,
      ...NO_WINDOW_CHROME_ARGS,
    ],
  });
}

/**
 * A fresh browser context (with `options`: viewport, colour scheme,
 * permissions) and page, with every console error and uncaught page error
 * collected, so a test can assert the page ran cleanly.
 */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, errors };
}

export interface ServerProcess {
  url: string;
  dataDir: string;
  /** What it printed up to its ready line (resume and build messages). */
  startupLog: string;
  /** Stops it with SIGTERM and removes a data folder it created. */
  stop(): Promise<void>;
  /** Kills it with SIGKILL, as a crash would, leaving its data folder. */
  crash(): Promise<void>;
}

/**
 * Starts the validator (server/main.ts) on a free port, with `dataDir` or a
 * fresh temporary data folder, and `env` added to its environment.
 */
export async function startServerProcess(
  extraArgs: string[] = [],
  dataDir?: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const ownsData = dataDir === undefined;
  dataDir ??= await Deno.makeTempDir({ prefix: "marketforge-e2e-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", repoPath("server/main.ts"), "--port", "0", "--data", dataDir, ...extraArgs],
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1", DENO_NO_PACKAGE_JSON: "1", ...env },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  let url: string | undefined;
  while (url === undefined) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Server exited before it was ready:\n${output}`);
    output += value;
    url = output.match(/ready at (http:\/\/\S+)/)?.[1];
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  const drained = (async () => {
    while (!(await reader.read()).done);
  })();
  const end = async (signal: Deno.Signal) => {
    child.kill(signal);
    await child.status;
    await drained;
  };
  return {
    url,
    dataDir,
    startupLog: output,
    async stop() {
      await end("SIGTERM");
      if (ownsData) await Deno.remove(dataDir, { recursive: true });
    },
    crash: () => end("SIGKILL"),
  };
}
