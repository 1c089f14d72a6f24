/**
 * Bundles islands/ and workers/ for the browser with esbuild at start-up, in
 * memory: one ES module per island and per worker plus the hydration
 * runtime, with shared chunks
 * (Preact) split out so every page downloads them once.
 *
 * esbuild is used directly (not `deno bundle`) because browser code needs
 * the automatic JSX runtime while the server uses Deno's precompile
 * transform (shared/reference/stack.md §1).
 *
 * @module
 */
import * as esbuild from "esbuild";

/** URL prefix the bundles are served under. */
export const BUNDLE_PREFIX = "/_islands";
/** Entry name of the hydration runtime (islands/_revive.ts). */
export const RUNTIME_ENTRY = "_revive";

export interface IslandBundle {
  /** Bundled files by URL path, e.g. "/_islands/BookLadder.js". */
  files: Map<string, Uint8Array>;
  /** Milliseconds the build took. */
  buildMs: number;
}

/** Bundles `entries` (name → absolute path) for the browser. */
export async function bundleIslands(
  entries: Record<string, string>,
  tsconfigPath: string,
): Promise<IslandBundle> {
  const started = performance.now();
  try {
    const result = await esbuild.build({
      entryPoints: entries,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      jsx: "automatic",
      jsxImportSource: "preact",
      tsconfig: tsconfigPath,
      minify: true,
      outdir: BUNDLE_PREFIX,
      write: false,
      logLevel: "silent",
    });
    const files = new Map<string, Uint8Array>();
    for (const file of result.outputFiles) files.set(file.path, file.contents);
    return { files, buildMs: performance.now() - started };
  } finally {
    await esbuild.stop();
  }
}
