/**
 * Demo forecasters for `deno task start`: each demo miner
 * (server/demo_miners.ts) forecasts with the naive, damped-trend, ridge or
 * MLP agent (engine/agents/forecast_*.ts) beside its trading agent, so the
 * forecasts page has a fan to draw from the start; `--demo-forecasters N`
 * adds forecast-only headless miners on their own dev hotkeys, answering
 * every state with no orders.
 *
 * @module
 */
import { Keyring } from "@polkadot/keyring";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import naiveForecaster from "@/engine/agents/forecast_naive.ts";
import ridgeForecaster from "@/engine/agents/forecast_ridge.ts";
import mlpForecaster from "@/engine/agents/forecast_mlp.ts";
import smoothingForecaster from "@/engine/agents/forecast_smoothing.ts";
import { type HeadlessMiner, startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";

/** The forecast agents demo miners take in turn. */
export const FORECAST_AGENTS: { name: string; factory: AgentFactory }[] = [
  { name: "naive", factory: naiveForecaster },
  { name: "damped-trend smoothing", factory: smoothingForecaster },
  { name: "ridge", factory: ridgeForecaster },
  { name: "SwiGLU MLP", factory: mlpForecaster },
];

/** `trading`'s agent with `forecasting`'s forecast hook. */
export function withForecaster(trading: AgentFactory, forecasting: AgentFactory): AgentFactory {
  return (context) => {
    const agent = trading(context);
    const forecaster = forecasting(context);
    if (agent.forecast === undefined && forecaster.forecast) {
      agent.forecast = (request) => forecaster.forecast!(request);
    }
    return agent;
  };
}

/**
 * The seed demo forecaster `index` runs its agent with (the MLP draws its
 * initial weights from it), so a backtest can run the very same model.
 */
export function demoForecasterSeed(seed: number, index: number): number {
  return seed + 100 + index;
}

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
    const agent = FORECAST_AGENTS[index % FORECAST_AGENTS.length];
    options.log(`Demo forecaster uid ${uid} (//${name}) runs the ${agent.name} agent`);
    miners.push(startHeadlessMiner({
      url: options.url,
      hotkey,
      agent: agent.factory,
      seed: demoForecasterSeed(options.seed, index),
      log: () => {},
    }));
  }
  return { miners, stop: () => miners.forEach((miner) => miner.stop()) };
}
