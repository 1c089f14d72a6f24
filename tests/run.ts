/**
 * `deno task test`: every test runner in one command, ending with the line
 * `N passed, N failed` (plus `, N skipped` when any were) summed over the
 * C++ tests and `deno test` (unit, integration and Playwright suites).
 *
 * It installs what it needs first: the native build (CMake), and Debian's
 * `chromium` for the browser tests when it is missing and we are root.
 * Arguments go to `deno test`, e.g. `deno task test -- engine/`.
 *
 * @module
 */
import { ensureNativeBuild } from "@/server/native_library.ts";
import { CHROMIUM_PATH } from "@/tests/browser.ts";

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

async function ensureChromium(): Promise<void> {
  if (await exists(CHROMIUM_PATH)) return;
  if (Deno.uid() !== 0) {
    console.warn(
      `Browser tests will be skipped: ${CHROMIUM_PATH} is missing. ` +
        `Install the Debian package "chromium" (sudo apt-get install -y chromium).`,
    );
    return;
  }
  console.log("Installing Debian chromium for the browser tests…");
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "chromium"]]) {
    const { success } = await new Deno.Command("apt-get", { args, env }).output();
    if (!success) throw new Error(`Cannot install chromium: apt-get ${args.join(" ")} failed`);
  }
}

/** Runs a command with output shown live and returns its exit code and output. */
async function runTee(command: string, args: string[]): Promise<{ code: number; text: string }> {
  const child = new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1", DENO_NO_PACKAGE_JSON: "1" },
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    text += decoder.decode(chunk, { stream: true });
  }
  return { code: (await child.status).code, text };
}

function count(text: string, pattern: RegExp): number {
  return Number(text.match(pattern)?.[1] ?? 0);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  await ensureChromium();
  const native = await ensureNativeBuild();
  const tally: Tally = { passed: 0, failed: 0, skipped: 0 };

  const cpp = await runTee(native.testBinaryPath, []);
  const cppPassed = count(cpp.text, /native: (\d+) passed/);
  tally.passed += cppPassed;
  // A crash before the summary line still counts as a failure.
  tally.failed += Math.max(
    count(cpp.text, /native: \d+ passed, (\d+) failed/),
    cpp.code === 0 ? 0 : 1,
  );

  const deno = await runTee(Deno.execPath(), ["test", "-A", ...Deno.args]);
  const summary = deno.text.split("\n").findLast((line) =>
    /^(ok|FAILED) \| \d+ passed/.test(line)
  ) ?? "";
  tally.passed += count(summary, /(\d+) passed/);
  tally.failed += Math.max(count(summary, /(\d+) failed/), deno.code === 0 ? 0 : 1);
  tally.skipped += count(summary, /(\d+) ignored/);

  const skipped = tally.skipped > 0 ? `, ${tally.skipped} skipped` : "";
  console.log(`${tally.passed} passed, ${tally.failed} failed${skipped}`);
  Deno.exit(tally.failed === 0 ? 0 : 1);
}
