/**
 * `deno task miner`: mine headless with an agent from a file.
 *
 * ```sh
 * deno task miner -- --agent engine/agents/random_maker.ts --param volume=2 \
 *   --wallet default --hotkey default            # a btcli wallet folder
 * deno task miner -- --agent ./my_agent.ts --mnemonic "word …" --register
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { loadHotkey } from "@/server/miner/hotkey.ts";
import { taskArgs } from "@/server/task_args.ts";

const usage = `Usage: deno task miner -- --agent FILE [--param k=v …]
  (--mnemonic WORDS | --uri //Dev | --wallet NAME --hotkey NAME [--wallet-path DIR])
  [--validator URL] [--seed N] [--register]`;

/** Parses repeated `--param k=v` flags; throws naming a malformed one. */
export function parseParams(items: readonly string[]): Record<string, string> {
  return Object.fromEntries(items.map((item) => {
    const at = item.indexOf("=");
    if (at <= 0) throw new RangeError(`Invalid --param "${item}": must be key=value`);
    return [item.slice(0, at), item.slice(at + 1)];
  }));
}

/** Imports an agent module; its default export must be an AgentFactory. */
export async function loadAgent(path: string): Promise<AgentFactory> {
  const url = new URL(path, `file://${Deno.cwd()}/`).href;
  const module = await import(url);
  if (typeof module.default !== "function") {
    throw new Error(`Cannot use agent "${path}": its default export is not an agent factory`);
  }
  return module.default as AgentFactory;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: taskArgs(),
    options: {
      agent: { type: "string" },
      param: { type: "string", multiple: true, default: [] },
      mnemonic: { type: "string" },
      uri: { type: "string" },
      wallet: { type: "string" },
      hotkey: { type: "string" },
      "wallet-path": { type: "string" },
      validator: { type: "string", default: "ws://127.0.0.1:8000/api/miner/ws" },
      seed: { type: "string", default: "1" },
      register: { type: "boolean", default: false },
    },
  });
  if (!values.agent) {
    console.error(usage);
    Deno.exit(2);
  }
  const hotkey = await loadHotkey({
    uri: values.mnemonic ?? values.uri,
    wallet: values.wallet,
    hotkey: values.hotkey,
    walletPath: values["wallet-path"],
  });
  if (values.register) {
    const url = new URL("/api/metagraph/register", values.validator.replace(/^ws/, "http"));
    const response = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ hotkey: hotkey.address }),
    });
    console.log(`Registered ${hotkey.address}: ${await response.text()}`);
  }
  startHeadlessMiner({
    url: values.validator,
    hotkey,
    agent: await loadAgent(values.agent),
    params: parseParams(values.param),
    seed: Number(values.seed),
  });
}
