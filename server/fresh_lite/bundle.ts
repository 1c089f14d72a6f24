/**
 * Bundles islands/ and workers/ for the browser with esbuild at start-up, in
 * memory: one ES module per island plus the hydration runtime, with shared
 * chunks (Preact) split out so every page downloads them once, and one
 * self-contained module per worker.
 *
 * Workers are bundled without splitting: a worker that imports shared chunks
 * waits for a second round of fetches before it can open its socket, and the
 * live feed's worker is on the path to a page's first update.
 *
 * Each island's static import closure is kept so pages can announce it with
 * `<link rel="modulepreload">`: the browser then fetches the whole graph at
 * once instead of discovering it import by import.
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
/** Shared and lazily imported chunks: content-hashed names, so cacheable for good. */
export const CHUNK_PREFIX = `${BUNDLE_PREFIX}/chunks/`;
/** Entry name of the hydration runtime (islands/_revive.ts). */
export const RUNTIME_ENTRY = "_revive";

export interface IslandBundle {
  /** Bundled files by URL path, e.g. "/_islands/BookLadder.js". */
  files: Map<string, Uint8Array>;
  /**
   * URL paths an entry imports statically, directly or not, itself first
   * (e.g. "BookLadder" → ["/_islands/BookLadder.js", "/_islands/chunks/…"]).
   */
  staticImports: Map<string, string[]>;
  /** Milliseconds the build took. */
  buildMs: number;
}

/** One esbuild pass over `entryPoints`, in memory, with its metafile. */
function build(
  entryPoints: Record<string, string>,
  splitting: boolean,
  tsconfig: string,
): Promise<esbuild.BuildResult> {
  return esbuild.build({
    entryPoints,
    splitting,
    tsconfig,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    // Output paths relative to "/" are the URL paths.
    absWorkingDir: "/",
    outdir: BUNDLE_PREFIX,
    chunkNames: "chunks/[name]-[hash]",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
}

/**
 * Bundles the page modules `entries` (name → absolute path) with shared
 * chunks, and `workers` (name → absolute path) each on its own.
 */
export async function bundleIslands(
  entries: Record<string, string>,
  tsconfigPath: string,
  workers: Record<string, string> = {},
): Promise<IslandBundle> {
  const started = performance.now();
  try {
    const builds = [build(entries, true, tsconfigPath)];
    if (Object.keys(workers).length > 0) builds.push(build(workers, false, tsconfigPath));
    const files = new Map<string, Uint8Array>();
    const staticImports = new Map<string, string[]>();
    for (const result of await Promise.all(builds)) {
      for (const file of result.outputFiles!) files.set(file.path, file.contents);
      for (const [name, closure] of staticClosures(result.metafile!)) {
        staticImports.set(name, closure);
      }
    }
    return { files, staticImports, buildMs: performance.now() - started };
  } finally {
    await esbuild.stop();
  }
}

/** Each entry's static import closure from esbuild's metafile, as URL paths. */
function staticClosures(metafile: esbuild.Metafile): Map<string, string[]> {
  const closures = new Map<string, string[]>();
  for (const [output, { entryPoint }] of Object.entries(metafile.outputs)) {
    if (entryPoint === undefined || !output.endsWith(".js")) continue;
    const seen = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      for (const { path: imported, kind } of metafile.outputs[path]?.imports ?? []) {
        if (kind === "import-statement") visit(imported);
      }
    };
    visit(output);
    const urls = [...seen].map((path) => `/${path}`);
    closures.set(urls[0].slice(BUNDLE_PREFIX.length + 1, -".js".length), urls);
  }
  return closures;
}
