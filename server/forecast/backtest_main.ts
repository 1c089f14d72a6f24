/**
 * `deno task forecast:backtest -- --agent ./a.ts --data klines.csv`: scores
 * a forecast agent (a module whose default export is an AgentFactory with a
 * `forecast` hook) on a kline CSV or parquet file (server/forecast/kline_file.ts) against
 * the naive last-close forecast, and prints one JSON line of results.
 *
 * Flags: --agent, --data (required); --horizon (100), --lookback (500),
 * --stride (the horizon), --param k=v (repeatable), --seed (1).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { runBacktest } from "@/server/forecast/backtest.ts";
import { readKlineFile } from "@/server/forecast/kline_file.ts";
import { taskArgs } from "@/server/task_args.ts";

function positiveInteger(raw: string | undefined, flag: string, fallback?: number) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) {
    throw new RangeError(`Invalid --${flag} "${raw}": must be an integer from 1 to 1000000`);
  }
  return value;
}

export async function backtestCommand(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      agent: { type: "string" },
      data: { type: "string" },
      horizon: { type: "string" },
      lookback: { type: "string" },
      stride: { type: "string" },
      seed: { type: "string" },
      param: { type: "string", multiple: true },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.agent) throw new RangeError("Missing --agent: the path of a forecast agent module");
  if (!values.data) throw new RangeError("Missing --data: the path of a kline CSV or parquet file");
  const params: Record<string, string> = {};
  for (const pair of values.param ?? []) {
    const at = pair.indexOf("=");
    if (at < 1) throw new RangeError(`Invalid --param "${pair}": must be key=value`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const module = await import(pathToFileURL(resolve(values.agent)).href);
  const agent = module.default as AgentFactory;
  if (typeof agent !== "function") {
    throw new TypeError(`Invalid --agent "${values.agent}": its default export is not a factory`);
  }
  const candles = await readKlineFile(values.data);
  const { windowSkills: _windowSkills, ...summary } = await runBacktest({
    candles,
    agent,
    params,
    stream: values.data,
    horizon: positiveInteger(values.horizon, "horizon"),
    lookback: positiveInteger(values.lookback, "lookback"),
    stride: positiveInteger(values.stride, "stride"),
    seed: positiveInteger(values.seed, "seed", 1),
  });
  return JSON.stringify({
    agent: values.agent,
    data: values.data,
    candles: candles.length,
    ...summary,
  });
}

if (import.meta.main) {
  try {
    console.log(await backtestCommand(taskArgs()));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    Deno.exit(2);
  }
}
