/**
 * `deno task test`: every test runner in one command, ending with the line
 * `N passed, N failed` (plus `, N skipped` when any were) summed over the
 * C++ tests and `deno test` (unit, integration and Playwright suites).
 *
 * It installs what it needs first: the native build (CMake), and the Debian
 * packages in DEBIAN_PACKAGES when they are missing and we are root.
 * Arguments go to `deno test`, e.g. `deno task test -- engine/`.
 *
 * @module
 */
import { ensureNativeBuild } from "@/server/native_library.ts";
import { CHROMIUM_PATH } from "@/tests/browser.ts";
import { runStreaming } from "@/tests/_child.ts";

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Debian packages the suites use, with what happens without them. Installed
 * in one apt-get call when any is missing and we are root; otherwise each
 * missing one is named and its suites report themselves skipped.
 */
const DEBIAN_PACKAGES = [
  { name: "chromium", probe: CHROMIUM_PATH, without: "browser tests are skipped" },
  {
    name: "mesa-vulkan-drivers",
    probe: "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json",
    without: "WebGPU kernel tests are skipped",
  },
  {
    name: "emscripten",
    probe: "/usr/bin/em++",
    without: "the WebAssembly simulator backend is not built and its tests are skipped",
  },
];

async function ensureDebianPackages(): Promise<void> {
  const missing = [];
  for (const pkg of DEBIAN_PACKAGES) if (!await exists(pkg.probe)) missing.push(pkg);
  if (missing.length === 0) return;
  const names = missing.map((pkg) => pkg.name);
  if (Deno.uid() !== 0) {
    for (const pkg of missing) {
      console.warn(`Missing Debian package "${pkg.name}" (${pkg.probe}): ${pkg.without}.`);
    }
    console.warn(`Install with: sudo apt-get install -y ${names.join(" ")}`);
    return;
  }
  console.log(`Installing Debian packages for the tests: ${names.join(" ")}…`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...names]]) {
    const { success } = await new Deno.Command("apt-get", { args, env }).output();
    if (!success) throw new Error(`Cannot install ${names.join(" ")}: apt-get ${args[0]} failed`);
  }
}

/** Runs a command with output shown live and returns its exit code and output. */
async function runTee(command: string, args: string[]): Promise<{ code: number; text: string }> {
  let text = "";
  const encoder = new TextEncoder();
  const code = await runStreaming(command, args, async (chunk) => {
    await Deno.stdout.write(encoder.encode(chunk));
    text += chunk;
  });
  return { code, text };
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
  await ensureDebianPackages();
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

  // `deno task test -- engine/` passes the "--" through; drop it.
  const filters = Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args;
  const deno = await runTee(Deno.execPath(), ["test", "-A", ...filters]);
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
