/**
 * `deno task facts -- --run DIR [--json] [--horizon SECONDS]`: the stylized
 * facts of a headless run (shared/reference/perf.md §3), as a table of
 * statistic, value, target and pass, or with `--json` as one JSON object
 * `{ run, trades, takerOrders, report }`.
 *
 * ```sh
 * deno task sim -- --books 16 --hours 4 --out runs/a
 * deno task facts -- --run runs/a
 * ```
 *
 * Exits 0 whether or not the facts hold (it reports them), 2 on bad
 * arguments or a run directory it cannot read.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type FactCheck,
  KURTOSIS_HORIZON_SECONDS,
  stylizedFacts,
  type StylizedFactsReport,
} from "@/engine/sim/stylized_facts.ts";
import { readRun, type Run, RunFormatError } from "@/server/sim/run_files.ts";
import { taskArgs } from "@/server/task_args.ts";

const USAGE = "Usage: deno task facts -- --run DIR [--json] [--horizon SECONDS]";

class UsageError extends Error {}

interface FactsOptions {
  run: string;
  json: boolean;
  horizonSeconds: number;
}

function parseOptions(args: string[]): FactsOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: taskArgs(args),
      options: {
        run: { type: "string" },
        json: { type: "boolean", default: false },
        horizon: { type: "string", default: String(KURTOSIS_HORIZON_SECONDS) },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.run) throw new UsageError("Missing --run DIR: the directory `deno task sim` wrote");
  const horizonSeconds = Number(values.horizon);
  if (!Number.isInteger(horizonSeconds) || horizonSeconds < 1) {
    throw new UsageError(
      `Invalid --horizon "${values.horizon}": must be a whole number of seconds ≥ 1`,
    );
  }
  return { run: values.run, json: values.json, horizonSeconds };
}

/** The facts of `run` at `horizonSeconds`. */
export function runFacts(run: Run, horizonSeconds: number): StylizedFactsReport {
  return stylizedFacts({
    mids: run.mids,
    orderSigns: run.flow.orderSigns,
    volumes: run.flow.volumeLots,
    horizonSeconds,
  });
}

function passLabel(check: FactCheck): string {
  const label = check.pass === null ? "report" : check.pass ? "pass" : "FAIL";
  return check.gated ? label : `${label}*`;
}

/** The report as an aligned text table with notes and a verdict. */
export function formatFactsTable(run: Run, report: StylizedFactsReport): string {
  const { manifest } = run;
  const rows = [
    ["statistic", "value", "target", "pass"],
    ...report.checks.map((check) => [check.statistic, check.value, check.target, passLabel(check)]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  const count = (value: number) => value.toLocaleString("en");
  const gated = report.checks.filter((check) => check.gated);
  const failed = gated.filter((check) => check.pass === false);
  const notes = [
    ...report.checks.flatMap((check) => check.note ? [`${check.id}: ${check.note}`] : []),
    ...report.notes,
  ];
  return [
    `Run ${run.dir}: seed ${manifest.seed}, ${manifest.books} books, ${
      count(manifest.seconds)
    } s; ` +
    `${count(report.returns.count)} returns at ${report.horizonSeconds} s in ` +
    `${count(report.returns.segments)} runs of valid mids; ${count(run.flow.trades)} trades from ` +
    `${count(run.flow.takerOrders)} taker orders`,
    "",
    line(rows[0]),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.slice(1).map(line),
    "",
    "* advisory: reported against its perf.md §3 target, not part of the realism gate",
    ...notes.map((note) => `- ${note}`),
    "",
    failed.length === 0
      ? `Realism gate: passed (${gated.filter((check) => check.pass).length} of ${gated.length} ` +
        "gated facts pass, the rest are report only)"
      : `Realism gate: FAILED (${failed.length} of ${gated.length} gated facts fail: ` +
        `${failed.map((check) => check.id).join(", ")})`,
  ].join("\n");
}

async function main(args: string[]): Promise<number> {
  let options: FactsOptions;
  let run: Run;
  try {
    options = parseOptions(args);
    run = await readRun(options.run);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof RunFormatError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const report = runFacts(run, options.horizonSeconds);
  if (options.json) {
    const { trades, takerOrders } = run.flow;
    console.log(
      JSON.stringify({ run: { dir: run.dir, ...run.manifest }, trades, takerOrders, report }),
    );
  } else {
    console.log(formatFactsTable(run, report));
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(taskArgs()));
