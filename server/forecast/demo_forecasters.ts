/**
 * Demo forecast miners for `deno task start`: the naive, damped-trend and
 * ridge agents (engine/agents/forecast_*.ts) as headless miners, each on
 * its own dev hotkey registered on the local network. They answer every
 * state with no orders and the forecast pool with their forecasts, so the
 * forecasts page has a fan to draw from the start.
 *
 * @module
 */
import { Keyring } from "@polkadot/keyring";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import naiveForecaster from "@/engine/agents/forecast_naive.ts";
import ridgeForecaster from "@/engine/agents/forecast_ridge.ts";
import smoothingForecaster from "@/engine/agents/forecast_smoothing.ts";
import { type HeadlessMiner, startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";

const AGENTS: { name: string; factory: AgentFactory }[] = [
  { name: "naive", factory: naiveForecaster },
  { name: "damped-trend smoothing", factory: smoothingForecaster },
  { name: "ridge", factory: ridgeForecaster },
];

export interface DemoForecasters {
  miners: HeadlessMiner[];
  stop(): void;
}

/** Registers `count` dev hotkeys (//Forecaster1 …) and starts one forecast agent on each. */
export async function startDemoForecasters(options: {
  count: number;
  url: string;
  kv: Deno.Kv;
  seed: number;
  log: (line: string) => void;
}): Promise<DemoForecasters> {
  const keyring = new Keyring({ type: "sr25519" });
  const miners: HeadlessMiner[] = [];
  for (let index = 0; index < options.count; index++) {
    const name = `Forecaster${index + 1}`;
    const hotkey = keyring.addFromUri(`//${name}`);
    const uid = await registerHotkey(options.kv, hotkey.address);
    const agent = AGENTS[index % AGENTS.length];
    options.log(`Demo forecaster uid ${uid} (//${name}) runs the ${agent.name} agent`);
    miners.push(startHeadlessMiner({
      url: options.url,
      hotkey,
      agent: agent.factory,
      seed: options.seed + 100 + index,
      log: () => {},
    }));
  }
  return { miners, stop: () => miners.forEach((miner) => miner.stop()) };
}
