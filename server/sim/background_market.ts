/**
 * Opens the background market the validator runs (issue 4): the native
 * simulation (server/sim/native_simulation.ts) configured from the
 * simulation config file, with the validator's book count and seed, as an
 * `Engine` whose books already trade. Remote agents (miners) are funded by
 * the validator itself (server/validator_loop.ts), so the market opens no
 * remote slots of its own.
 *
 * @module
 */
import type { BookConfig } from "@/engine/book_records.ts";
import { resolveSimConfig, type SimConfig } from "@/engine/sim/sim_config.ts";
import { simulatedBookConfig } from "@/engine/sim/simulated_book_config.ts";
import type { Engine } from "@/engine/simulator.ts";
import { NativeSimulation, simParams } from "@/server/sim/native_simulation.ts";

export interface BackgroundMarketOptions {
  books: number;
  seed: number;
  /** Parsed JSON of a simulation config file (engine/sim/sim_config.ts); defaults otherwise. */
  config?: unknown;
}

export interface BackgroundMarket {
  engine: Engine;
  /** Each book's exchange rules, as the native market applies them. */
  configs: BookConfig[];
  settings: SimConfig["settings"];
}

export async function openBackgroundMarket(
  options: BackgroundMarketOptions,
): Promise<BackgroundMarket> {
  const config = resolveSimConfig(await simParams(), options.config ?? {}, {
    "simulation.books": options.books,
    "simulation.seed": options.seed,
    "simulation.remote_agents": 0,
  });
  const simulation = await NativeSimulation.create(config.values);
  return {
    engine: simulation.asEngine(),
    configs: Array.from({ length: options.books }, () => simulatedBookConfig(config.settings)),
    settings: config.settings,
  };
}

/** Reads a simulation config file; the error names the file and what is wrong with it. */
export async function readSimConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(`Cannot read simulation config "${path}": ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Cannot read simulation config "${path}": ${(error as Error).message}`);
  }
}
