/**
 * Where things live in a checkout: resolved from this file, so commands work
 * from any working directory.
 *
 * @module
 */
const root = new URL("../", import.meta.url);

/** Absolute path of `relative` inside the repository. */
export function repoPath(relative = ""): string {
  return decodeURIComponent(new URL(relative, root).pathname).replace(/\/$/, "");
}
