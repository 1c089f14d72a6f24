/**
 * File-based routing: every module under routes/ becomes a URL, Fresh-style.
 *
 * `index.tsx` maps to its folder, `[id].tsx` to a `:id` parameter, files
 * starting with `_` (such as `_app.tsx`) and tests are not routes. Static
 * segments are registered before parameters so `/books/new` beats
 * `/books/:id`.
 *
 * @module
 */

export interface RouteFile {
  /** Absolute path of the module. */
  file: string;
  /** Hono path pattern, e.g. `/books/:id`. */
  pattern: string;
}

const MODULE_PATTERN = /\.(ts|tsx)$/;

/** Lists the route modules under `dir`, most specific pattern first. */
export async function scanRoutes(dir: string): Promise<RouteFile[]> {
  const routes: RouteFile[] = [];
  await walk(dir, [], routes);
  return routes.sort((a, b) => specificity(b.pattern) - specificity(a.pattern));
}

/** Maps a module path relative to routes/ (without extension) to a pattern. */
export function patternOf(segments: readonly string[]): string {
  const parts = segments
    .filter((segment, index) => !(segment === "index" && index === segments.length - 1))
    .map((segment) => segment.replace(/^\[(\w+)\]$/, ":$1"));
  return "/" + parts.join("/");
}

async function walk(dir: string, prefix: string[], routes: RouteFile[]): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      await walk(path, [...prefix, entry.name], routes);
    } else if (MODULE_PATTERN.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) {
      routes.push({
        file: path,
        pattern: patternOf([...prefix, entry.name.replace(MODULE_PATTERN, "")]),
      });
    }
  }
}

/** More segments first; among equals, fewer parameters first. */
function specificity(pattern: string): number {
  const segments = pattern.split("/").filter(Boolean);
  const parameters = segments.filter((segment) => segment.startsWith(":")).length;
  return segments.length * 100 - parameters;
}
