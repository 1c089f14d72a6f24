/** `deno task facts` reads a run directory and reports its stylized facts. */
import { equal, match } from "node:assert/strict";
import { SeededRandom } from "@/engine/seeded_random.ts";
import type { StylizedFactsReport } from "@/engine/sim/stylized_facts.ts";
import { repoPath } from "@/server/paths.ts";
import {
  encodeRecords,
  testManifest,
  type TestTrade,
  writeTestRun,
} from "@/server/sim/_test_run_dir.ts";

const SECONDS = 7_200;

/** Two books of random-walk mids with a gap, and trades in runs of same-sign orders. */
async function writeRun(): Promise<string> {
  const random = new SeededRandom(11);
  const mids = [100, 2_500].map((start) => {
    const series = new Float64Array(SECONDS);
    series[0] = start;
    for (let s = 1; s < SECONDS; s++) series[s] = series[s - 1] * Math.exp(1e-4 * random.normal());
    return series;
  });
  mids[1].fill(NaN, 3_000, 3_010);
  const trades: TestTrade[] = [];
  let side: 0 | 1 = 0;
  for (let i = 0; i < 5_000; i++) {
    if (random.uniform() < 0.1) side = side === 0 ? 1 : 0;
    trades.push({ bookId: i % 2, timeNs: i * 1_000_000_000, side, takerOrderId: i + 1 });
  }
  return await writeTestRun(mids, encodeRecords(trades));
}

async function facts(...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", repoPath("server/sim/facts.ts"), ...args],
    cwd: repoPath(),
    env: { NO_COLOR: "1", DENO_NO_PACKAGE_JSON: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("facts prints one JSON object for a run and exits 0 though facts fail", async () => {
  const dir = await writeRun();
  try {
    const { code, stdout, stderr } = await facts("--", "--run", dir, "--json");
    equal(code, 0, stderr);
    const output = JSON.parse(stdout) as {
      run: { dir: string; seed: number; books: number };
      trades: number;
      takerOrders: number;
      report: StylizedFactsReport;
    };
    equal(output.run.books, 2);
    equal(output.trades, 5_000);
    // Book 0 has 119 one-minute returns; book 1's gap leaves 49 + 69.
    equal(output.report.returns.count, 119 + 49 + 69);
    equal(output.report.orderSigns!.count, 5_000);
    equal(output.report.orderSigns!.lags[0]! > 0.5, true);
    // Gaussian mids: no heavy tails, so the gate fails, and the exit code is still 0.
    equal(output.report.passed, false);
    equal(output.report.checks.find((check) => check.id === "excessKurtosis")!.pass, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("facts prints a table of statistic, value, target and pass", async () => {
  const dir = await writeRun();
  try {
    const { code, stdout, stderr } = await facts("--run", dir, "--horizon", "1");
    equal(code, 0, stderr);
    match(stdout, /seed 7, 2 books, 7,200 s; 14,387 returns at 1 s in 3 runs of valid mids/);
    match(stdout, /^statistic\s+value\s+target\s+pass$/m);
    match(stdout, /^ρ₁ of 1 s returns\s+-?\d\.\d{3}\s+in \(-0\.3, 0\.05\)\s+pass$/m);
    match(stdout, /^excess kurtosis of 1 min returns .* FAIL$/m);
    match(
      stdout,
      /^excess kurtosis at 1 \/ 10 \/ 60 min\s+-?\d\.\d\d > -?\d\.\d\d > -?\d\.\d\d .* report$/m,
    );
    match(stdout, /aggregationalGaussianity: report only: 21 returns at 10 min/);
    match(stdout, /^Realism gate: FAILED \(\d of 7 gated facts fail: .*excessKurtosis/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("facts exits 2 with a clear message on bad input", async () => {
  const usage = await facts();
  equal(usage.code, 2);
  match(usage.stderr, /Missing --run DIR[\s\S]*Usage: deno task facts -- --run DIR/);

  const missing = await facts("--run", "/nonexistent/run");
  equal(missing.code, 2);
  match(missing.stderr, /^Cannot read run "\/nonexistent\/run": run.json not found$/m);

  const dir = await writeTestRun([[1, 2]], new Uint8Array(), { ...testManifest(), books: 0 });
  try {
    const invalid = await facts("--run", dir);
    equal(invalid.code, 2);
    match(invalid.stderr, /^Invalid run.json: "books" must be an integer ≥ 1, got 0$/m);
    equal((await facts("--run", dir, "--horizon", "0.5")).code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
