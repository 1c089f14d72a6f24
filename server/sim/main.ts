/**
 * `deno task sim`: runs the background market headless and writes its run
 * directory (server/sim/run_writer.ts) with progress on stderr.
 *
 *   deno task sim -- --books 16 --hours 1 --seed 7
 *   deno task sim -- --config sim.json --set stylized.count=500 --out runs/a
 *   deno task sim -- --minutes 30 --checkpoint runs/a.ckpt   # save the end state
 *   deno task sim -- --resume runs/a.ckpt --minutes 30        # carry on from it
 *
 * Then `deno task facts -- --run <dir>` prints its stylized facts.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { resolveSimConfig, SimConfigError } from "@/engine/sim/sim_config.ts";
import { NativeSimulation, simParams } from "@/server/sim/native_simulation.ts";
import { RunWriter } from "@/server/sim/run_writer.ts";
import { taskArgs } from "@/server/task_args.ts";

const USAGE = `Usage: deno task sim -- [--books N] [--hours H | --minutes M | --seconds S]
  [--seed N] [--threads N] [--config FILE.json] [--set group.field=value ...]
  [--out DIR] [--checkpoint FILE] [--resume FILE]`;

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      books: { type: "string" },
      hours: { type: "string" },
      minutes: { type: "string" },
      seconds: { type: "string" },
      seed: { type: "string" },
      threads: { type: "string" },
      config: { type: "string" },
      set: { type: "string", multiple: true },
      out: { type: "string" },
      checkpoint: { type: "string" },
      resume: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const overrides: Record<string, number> = {};
  const flag = (name: string, setting: string) => {
    const text = values[name as "books"];
    if (text !== undefined) overrides[setting] = numberFlag(name, text);
  };
  flag("books", "simulation.books");
  flag("seed", "simulation.seed");
  flag("threads", "simulation.threads");
  for (const assignment of values.set ?? []) {
    const [name, text] = assignment.split("=");
    if (text === undefined) throw new UsageError(`--set ${assignment}: expected group.field=value`);
    overrides[name] = numberFlag(`set ${name}`, text);
  }
  const seconds = values.seconds !== undefined
    ? numberFlag("seconds", values.seconds)
    : values.minutes !== undefined
    ? numberFlag("minutes", values.minutes) * 60
    : numberFlag("hours", values.hours ?? "1") * 3600;
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new UsageError("--hours/--minutes/--seconds: must come to a whole number of seconds");
  }

  const table = await simParams();
  const json = values.config ? JSON.parse(await Deno.readTextFile(values.config)) : {};
  const config = resolveSimConfig(table, json, overrides);
  if (!overrides["simulation.duration_s"] && seconds > config.settings["simulation.duration_s"]) {
    config.settings["simulation.duration_s"] = seconds;
    config.values[table.findIndex((p) => p.name === "simulation.duration_s")] = seconds;
  }
  const started = performance.now();
  const simulation = values.resume
    ? await NativeSimulation.restore(await Deno.readFile(values.resume))
    : await NativeSimulation.create(config.values);
  const settings = config.settings;
  const out = values.out ?? `runs/seed-${settings["simulation.seed"]}`;
  const writer = await RunWriter.create(out, {
    seed: settings["simulation.seed"],
    books: simulation.bookCount,
    stepNs: 1_000_000_000,
    priceDecimals: settings["book.price_decimals"],
    volumeDecimals: settings["book.volume_decimals"],
    params: settings,
  });
  console.error(
    `Simulating ${simulation.bookCount} books for ${clock(seconds)} ` +
      `(seed ${settings["simulation.seed"]}, ${settings["simulation.threads"]} threads) → ${out}`,
  );
  simulation.readEvents(); // the opening book
  const mids = new Float64Array(simulation.bookCount);
  let events = 0;
  let lastReport = performance.now();
  const stepping = performance.now();
  for (let second = 1; second <= seconds; second++) {
    simulation.step();
    const records = simulation.readEvents();
    events += records.length / 80;
    await writer.addSecond(records, simulation.mids(mids));
    if (second % 60 === 0) await writer.flushInfo();
    if (performance.now() - lastReport > 5_000 || second === seconds) {
      lastReport = performance.now();
      const wall = (lastReport - stepping) / 1000;
      console.error(
        `  ${clock(second)} / ${clock(seconds)} · ${events.toLocaleString("en")} L3 events · ` +
          `${(second / wall).toFixed(1)}× real time`,
      );
    }
  }
  await writer.close();
  if (values.checkpoint) {
    const bytes = simulation.checkpoint();
    await Deno.writeFile(`${values.checkpoint}.tmp`, bytes);
    await Deno.rename(`${values.checkpoint}.tmp`, values.checkpoint);
    console.error(`Checkpoint: ${values.checkpoint} (${(bytes.length / 1e6).toFixed(1)} MB)`);
  }
  const counters = simulation.counters();
  simulation.close();
  console.error(
    `Done in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${counters.wakeups.toLocaleString("en")} wake-ups, ` +
      `${counters.messages.toLocaleString("en")} messages, ${
        counters.fills.toLocaleString("en")
      } fills. ` +
      `Facts: deno task facts -- --run ${out}`,
  );
  return 0;
}

class UsageError extends Error {}

function numberFlag(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new UsageError(`--${name}: expected a number, got "${text}"`);
  }
  return value;
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  return [h, m, s].map((part) => String(part).padStart(2, "0")).join(":");
}

if (import.meta.main) {
  try {
    Deno.exit(await main(taskArgs()));
  } catch (error) {
    if (error instanceof UsageError || error instanceof SimConfigError) {
      console.error(`${error.message}\n${USAGE}`);
      Deno.exit(2);
    }
    throw error;
  }
}
