/**
 * Builds native/ with CMake when the shared library or the native test binary
 * is missing or older than any source file, so `deno task start` and
 * `deno task test` work on a fresh clone with nothing run before.
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
  await run("cmake", ["-S", SOURCE_DIR, "-B", BUILD_DIR, "-DCMAKE_BUILD_TYPE=Release"]);
  const jobs = String(navigator.hardwareConcurrency || 2);
  await run("cmake", ["--build", BUILD_DIR, "--parallel", jobs]);
  log(`Built native/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return nativeArtifacts;
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
