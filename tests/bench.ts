/**
 * `deno task bench`: runs every benchmark and prints one JSON line per
 * figure, e.g. `{"bench":"book.native_mixed_ops","value":21500000,"unit":"ops/s"}`.
 *
 * Benchmarks are the C++ benchmark binary (native `*_benchmark.cc`) and every
 * `*_bench.ts` file in the repository, each run as its own process so one
 * cannot disturb another's heap or JIT state. A benchmark prints its JSON
 * lines on stdout (anything else it prints is passed to stderr); it reports
 * medians over repeated runs, and where a peer implementation runs in the
 * same process, a `ratio` field against it. Arguments filter benchmark files
 * by substring: `deno task bench -- book`.
 *
 * @module
 */
import { ensureNativeBuild } from "@/server/native_library.ts";
import { repoPath } from "@/server/paths.ts";
import { runStreaming } from "@/tests/_child.ts";

const SKIPPED_DIRS = new Set(["node_modules", "build", "data", ".git"]);

async function findBenchFiles(dir: string, found: string[] = []): Promise<string[]> {
  for await (const entry of Deno.readDir(dir)) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) await findBenchFiles(path, found);
    else if (entry.name.endsWith("_bench.ts")) found.push(path);
  }
  return found.sort();
}

/** Runs one benchmark process; JSON figure lines go to stdout, the rest to stderr. */
async function runBenchmark(command: string, args: string[]): Promise<boolean> {
  let buffered = "";
  const code = await runStreaming(command, args, (chunk) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith('{"bench":')) console.log(line);
      else if (line.trim() !== "") console.error(line);
    }
  });
  if (code !== 0) console.error(`Benchmark failed: ${command} ${args.join(" ")}`);
  return code === 0;
}

if (import.meta.main) {
  const filters = Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args;
  const wanted = (name: string) => filters.length === 0 || filters.some((f) => name.includes(f));
  const native = await ensureNativeBuild((line) => console.error(line));
  let ok = true;
  // The C++ binary prints book.native_mixed_ops and exchange.native_mixed_ops.
  if (wanted("native book.native_mixed_ops exchange.native_mixed_ops")) {
    ok = await runBenchmark(native.benchmarkBinaryPath, []) && ok;
  }
  for (const file of await findBenchFiles(repoPath())) {
    if (wanted(file)) ok = await runBenchmark(Deno.execPath(), ["run", "-A", file]) && ok;
  }
  Deno.exit(ok ? 0 : 1);
}
