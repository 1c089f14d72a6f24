/**
 * `deno task chain:local -- --spec <raw chain spec> [--port 9944]
 * [--commit-reveal]`: a subtensor chain on 127.0.0.1 for manual testing,
 * run by chopsticks from the runtime in the spec, with a funded dev subnet
 * (dev_subnet.ts) ready for `deno task start -- --chain ws://… --netuid N`.
 * Runs until Ctrl-C.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { startChopsticks } from "@/server/chain/chopsticks.ts";
import { createDevSubnet, DEV_NEURONS } from "@/server/chain/dev_subnet.ts";
import { connectSubtensor } from "@/server/chain/subtensor_chain.ts";
import { taskArgs } from "@/server/task_args.ts";

export interface LocalSubtensorArgs {
  specPath: string;
  port: number;
  commitReveal: boolean;
}

/** The usual subtensor RPC port. */
const DEFAULT_PORT = 9944;

const usage = "Usage: deno task chain:local -- --spec FILE [--port 9944] [--commit-reveal]";

/** Reads the command line; throws naming a missing or bad option. */
export function parseLocalSubtensorArgs(args: readonly string[]): LocalSubtensorArgs {
  const { values } = parseArgs({
    args: args[0] === "--" ? args.slice(1) : [...args],
    options: {
      spec: { type: "string" },
      port: { type: "string" },
      "commit-reveal": { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.spec) {
    throw new Error(
      "Missing --spec: give the path of a raw subtensor chain spec " +
        '(README "Chain setup" says how to get one)',
    );
  }
  const port = Number(values.port ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`Invalid --port "${values.port}": must be an integer from 1 to 65535`);
  }
  return { specPath: values.spec, port, commitReveal: values["commit-reveal"] };
}

async function main(): Promise<void> {
  let options: LocalSubtensorArgs;
  try {
    options = parseLocalSubtensorArgs(taskArgs());
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    Deno.exit(2);
  }
  const chain = await startChopsticks(options.specPath, { port: options.port });
  const api = await connectSubtensor(chain.url);
  const subnet = await createDevSubnet(api, chain.url, {
    commitReveal: options.commitReveal,
    log: console.log,
  });
  await api.disconnect();
  console.log(
    [
      `Subtensor (chopsticks) at ${chain.url}, dev subnet ${subnet.netuid}`,
      ...subnet.neurons.map((pair, uid) => `  UID ${uid}: ${DEV_NEURONS[uid]} ${pair.address}`),
      "Start a validator on it with:",
      `  deno task start -- --chain ${chain.url} --netuid ${subnet.netuid} ` +
      "--validator-key //Alice --hostname 127.0.0.2 --demo-miners 0",
      "Ctrl-C stops the chain.",
    ].join("\n"),
  );
  const stop = async () => {
    await chain.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}

if (import.meta.main) {
  main().catch((error) => {
    console.error((error as Error).message);
    Deno.exit(1);
  });
}
