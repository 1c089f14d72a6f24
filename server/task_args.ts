/**
 * The arguments of a `deno task NAME -- …` command line.
 *
 * `deno task sim -- --books 16` hands the program `["--", "--books", "16"]`:
 * Deno keeps the separator, and `node:util`'s parseArgs would then read every
 * flag after it as a positional argument. Every command-line entry point
 * reads its flags through this one function so both spellings work.
 *
 * @example
 * ```ts
 * taskArgs(["--", "--books", "16"]); // ["--books", "16"]
 * ```
 *
 * @module
 */

/** `args` without the leading `--` that `deno task NAME -- …` passes on. */
export function taskArgs(args: readonly string[] = Deno.args): string[] {
  return args[0] === "--" ? args.slice(1) : [...args];
}
