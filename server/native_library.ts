/**
 * Builds native/ with CMake when the shared library or the native test binary
 * is missing or older than any source file, so `deno task start` and
 * `deno task test` work on a fresh clone with nothing run before. The
 * WebAssembly module (engine/simulator_wasm.ts, for browser workers) is built
 * the same way with emscripten, separately, and only where `em++` exists:
 * the FFI build never needs it.
 *
 * @module
 */
import { repoPath } from "@/server/paths.ts";

export interface NativeArtifacts {
  /** The shared library for Deno.dlopen. */
  libraryPath: string;
  /** The C++ test binary. */
  testBinaryPath: string;
  /** The C++ benchmark binary (JSON lines, see tests/bench.ts). */
  benchmarkBinaryPath: string;
}

const SOURCE_DIR = repoPath("native");
const BUILD_DIR = repoPath("build/native");
const WASM_BUILD_DIR = repoPath("build/wasm");
/** The standalone module built by native/CMakeLists.txt's EMSCRIPTEN branch; serve it as-is. */
export const wasmModulePath = `${WASM_BUILD_DIR}/marketforge.wasm`;
/** emscripten's C++ driver (Debian package `emscripten`). */
const EMSCRIPTEN_COMPILER = "em++";

export const nativeArtifacts: NativeArtifacts = {
  libraryPath: `${BUILD_DIR}/libmarketforge.so`,
  testBinaryPath: `${BUILD_DIR}/marketforge_tests`,
  benchmarkBinaryPath: `${BUILD_DIR}/marketforge_benchmarks`,
};

/** Builds native/ if needed and returns where its artifacts are. */
export async function ensureNativeBuild(
  log: (line: string) => void = console.log,
): Promise<NativeArtifacts> {
  const newestSource = await newestModification(SOURCE_DIR);
  const oldestArtifact = Math.min(
    ...await Promise.all(Object.values(nativeArtifacts).map(modificationTime)),
  );
  if (oldestArtifact >= newestSource) return nativeArtifacts;

  log("Building native/ (C++20, CMake)…");
  const started = performance.now();
  const startedAt = new Date();
  await run("cmake", ["-S", SOURCE_DIR, "-B", BUILD_DIR, "-DCMAKE_BUILD_TYPE=Release"]);
  const jobs = String(navigator.hardwareConcurrency || 2);
  await run("cmake", ["--build", BUILD_DIR, "--parallel", jobs]);
  await markBuilt(Object.values(nativeArtifacts), startedAt);
  log(`Built native/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return nativeArtifacts;
}

let wasmBuild: Promise<string | undefined> | undefined;

/**
 * Builds the WebAssembly module if it is missing or older than any source
 * and returns its path, or undefined when emscripten is not installed (its
 * users then report themselves skipped). One build per process.
 */
export function ensureWasmBuild(
  log: (line: string) => void = console.log,
): Promise<string | undefined> {
  wasmBuild ??= buildWasm(log);
  return wasmBuild;
}

async function buildWasm(log: (line: string) => void): Promise<string | undefined> {
  if (!await onPath(EMSCRIPTEN_COMPILER)) return undefined;
  if (await modificationTime(wasmModulePath) >= await newestModification(SOURCE_DIR)) {
    return wasmModulePath;
  }
  log("Building native/ for WebAssembly (emscripten)…");
  const started = performance.now();
  const startedAt = new Date();
  await run("emcmake", [
    "cmake",
    "-S",
    SOURCE_DIR,
    "-B",
    WASM_BUILD_DIR,
    "-DCMAKE_BUILD_TYPE=Release",
  ]);
  const jobs = String(navigator.hardwareConcurrency || 2);
  await run("cmake", ["--build", WASM_BUILD_DIR, "--parallel", jobs]);
  await markBuilt([wasmModulePath], startedAt);
  log(`Built marketforge.wasm in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return wasmModulePath;
}

/** Whether a file named `command` is in a PATH directory. */
async function onPath(command: string): Promise<boolean> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir !== "" && await modificationTime(`${dir}/${command}`) > -Infinity) return true;
  }
  return false;
}

async function run(command: string, args: string[]): Promise<void> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot build native/: "${command}" is not installed (Debian packages: cmake g++)`,
      );
    }
    throw error;
  }
  if (!output.success) {
    const decoder = new TextDecoder();
    throw new Error(
      `Cannot build native/: ${command} ${args.join(" ")} failed\n` +
        decoder.decode(output.stdout) + decoder.decode(output.stderr),
    );
  }
}

/**
 * Stamps artifacts with the time their successful build started. A source
 * that does not feed an artifact (a test file, for the shared library) leaves
 * it untouched by the build, and it would otherwise look stale forever and
 * cost a CMake run in every process; a source edited during the build still
 * looks newer.
 */
async function markBuilt(paths: string[], startedAt: Date): Promise<void> {
  for (const path of paths) await Deno.utime(path, startedAt, startedAt);
}

/** Modification time in ms, or -Infinity when the file is missing. */
async function modificationTime(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).mtime?.getTime() ?? -Infinity;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return -Infinity;
    throw error;
  }
}

async function newestModification(dir: string): Promise<number> {
  let newest = -Infinity;
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    const time = entry.isDirectory ? await newestModification(path) : await modificationTime(path);
    newest = Math.max(newest, time);
  }
  return newest;
}
