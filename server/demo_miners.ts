/**
 * Example agents mining against this validator from the start, so a
 * newcomer sees miner activity at once (issue: "deno task start runs a few
 * example agents as local miners"). Each is a real headless miner with a
 * dev hotkey registered on the local network, over a real WebSocket. With
 * `--gentrx` the first `trainers` of them also opt in to the training pool,
 * each uploading to its own bucket folder, as any headless miner does.
 *
 * @module
 */
import { resolve } from "node:path";
import { Keyring } from "@polkadot/keyring";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import imbalanceTrader from "@/engine/agents/imbalance.ts";
import onlineRegression from "@/engine/agents/online_regression.ts";
import randomMaker from "@/engine/agents/random_maker.ts";
import randomTaker from "@/engine/agents/random_taker.ts";
import { type HeadlessMiner, startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { registerHotkey } from "@/server/store/metagraph.ts";
import { FORECAST_AGENTS, withForecaster } from "@/server/forecast/demo_forecasters.ts";

/** Substrate's dev accounts after //Alice (the validator's default key). */
const DEV_KEYS = ["Bob", "Charlie", "Dave", "Eve", "Ferdie", "One", "Two", "Three"];

const AGENTS: { name: string; factory: AgentFactory }[] = [
  { name: "random maker", factory: randomMaker },
  { name: "random taker", factory: randomTaker },
  { name: "imbalance", factory: imbalanceTrader },
  { name: "online regression", factory: onlineRegression },
];

export interface DemoMiners {
  miners: HeadlessMiner[];
  stop(): void;
}

/** Registers `count` dev hotkeys and starts one example agent on each. */
export async function startDemoMiners(options: {
  count: number;
  url: string;
  kv: Deno.Kv;
  seed: number;
  log: (line: string) => void;
  /** How many train GenTRX, and the folder their buckets go under. */
  gentrx?: { trainers: number; bucketRoot: string };
}): Promise<DemoMiners> {
  const keyring = new Keyring({ type: "sr25519" });
  const miners: HeadlessMiner[] = [];
  for (let index = 0; index < options.count; index++) {
    const name = DEV_KEYS[index % DEV_KEYS.length] + (index >= DEV_KEYS.length ? index : "");
    const hotkey = keyring.addFromUri(`//${name}`);
    const uid = await registerHotkey(options.kv, hotkey.address);
    const agent = AGENTS[index % AGENTS.length];
    // Each also forecasts (issue 10), with the naive, smoothing or ridge agent in turn.
    const forecaster = FORECAST_AGENTS[index % FORECAST_AGENTS.length];
    const trains = index < (options.gentrx?.trainers ?? 0);
    const bucket = `${options.gentrx?.bucketRoot}/${name.toLowerCase()}`;
    options.log(
      `Demo miner uid ${uid} (//${name}) runs the ${agent.name} agent and forecasts ${forecaster.name}${
        trains ? `, training GenTRX into ${bucket}` : ""
      }`,
    );
    miners.push(startHeadlessMiner({
      url: options.url,
      hotkey,
      agent: withForecaster(agent.factory, forecaster.factory),
      seed: options.seed + index,
      log: () => {},
      gentrx: trains ? { bucket: { kind: "folder", path: resolve(bucket) } } : undefined,
    }));
  }
  return { miners, stop: () => miners.forEach((miner) => miner.stop()) };
}
