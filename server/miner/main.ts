/**
 * `deno task miner`: mine headless with an agent from a file.
 *
 * ```sh
 * deno task miner -- --agent engine/agents/random_maker.ts --param volume=2 \
 *   --wallet default --hotkey default            # a btcli wallet folder
 * deno task miner -- --agent ./my_agent.ts --mnemonic "word …" --register
 * # GenTRX training, uploading to a local folder or an S3 bucket
 * # (GENTRX_AGENT_S3_ACCESS_KEY_ID / _SECRET_ACCESS_KEY; read-only
 * # GENTRX_AGENT_S3_READ_ACCESS_KEY_ID / _READ_SECRET_ACCESS_KEY for the commitment):
 * deno task miner -- --agent … --uri //Dave --gentrx --bucket https://host/my-bucket
 * # on subtensor the miner commits the read key on chain itself, signed by its hotkey
 * deno task miner -- --agent … --wallet W --hotkey H --validator wss://… \
 *   --gentrx --bucket https://host/my-bucket --chain ws://127.0.0.1:9944 --netuid 3
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { AgentFactory } from "@/engine/agent/agent.ts";
import { commitBucketOnSubtensor } from "@/server/miner/bucket_commitment.ts";
import { startHeadlessMiner } from "@/server/miner/headless_miner.ts";
import { loadHotkey } from "@/server/miner/hotkey.ts";
import { resolve } from "node:path";
import {
  bucketFromUrl,
  type BucketLocation,
  commitmentOf,
  formatBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import { type ChainSetting, chainSetting } from "@/server/chain/chain_setting.ts";
import { taskArgs } from "@/server/task_args.ts";

const usage = `Usage: deno task miner -- --agent FILE [--param k=v …]
  (--mnemonic WORDS | --uri //Dev | --wallet NAME --hotkey NAME [--wallet-path DIR])
  [--validator URL] [--seed N] [--register] [--gentrx --bucket DIR|S3_URL]
  [--chain ws://NODE --netuid N]`;

/**
 * The miner's bucket from `--bucket` (a folder, or an S3 URL
 * `http(s)://host/bucket` with GENTRX_AGENT_S3_* credentials) and the read
 * key it publishes: read-only GENTRX_AGENT_S3_READ_* keys when given.
 * Throws naming `--bucket` when the read key cannot fit a chain commitment
 * (bucket_location.ts: an R2 key fits), before anything connects.
 */
export function minerBucket(
  bucket: string,
  env: (name: string) => string | undefined,
): { bucket: BucketLocation; readKey: BucketLocation } {
  if (!/^https?:\/\//.test(bucket)) {
    const folder: BucketLocation = { kind: "folder", path: resolve(bucket) };
    commitmentOf(folder, "--bucket");
    return { bucket: folder, readKey: folder };
  }
  const need = (name: string) => {
    const value = env(name);
    if (!value) throw new RangeError(`Missing ${name}: an S3 --bucket needs its credentials`);
    return value;
  };
  const region = env("GENTRX_AGENT_S3_REGION") || undefined;
  const location = bucketFromUrl(bucket, {
    accessKeyId: need("GENTRX_AGENT_S3_ACCESS_KEY_ID"),
    secretAccessKey: need("GENTRX_AGENT_S3_SECRET_ACCESS_KEY"),
    region,
  });
  const readId = env("GENTRX_AGENT_S3_READ_ACCESS_KEY_ID");
  const readKey = readId
    ? bucketFromUrl(bucket, {
      accessKeyId: readId,
      secretAccessKey: need("GENTRX_AGENT_S3_READ_SECRET_ACCESS_KEY"),
    })
    : location;
  commitmentOf(readKey, "--bucket");
  return { bucket: location, readKey };
}

/**
 * The chain the miner's hotkey is registered on, from `--chain` ("local",
 * the default, or a subtensor node's ws:// URL) and `--netuid` (1 to
 * 65535). On subtensor a GenTRX miner commits its bucket there itself.
 */
export function minerChain(chain: string | undefined, netuid: string | undefined): ChainSetting {
  return chainSetting(chain, undefined, () => {
    if (netuid === undefined) return undefined;
    const value = Number(netuid);
    if (!Number.isInteger(value) || value < 1 || value > 65_535) {
      throw new RangeError(`Invalid --netuid "${netuid}": must be an integer from 1 to 65535`);
    }
    return value;
  });
}

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

async function main(): Promise<void> {
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
      gentrx: { type: "boolean", default: false },
      bucket: { type: "string" },
      chain: { type: "string" },
      netuid: { type: "string" },
    },
  });
  if (!values.agent || (values.gentrx && !values.bucket)) {
    console.error(usage);
    Deno.exit(2);
  }
  const chain = minerChain(values.chain, values.netuid);
  if (values.register && chain.kind === "subtensor") {
    throw new RangeError(
      "Cannot --register on subtensor: register the hotkey on the subnet with btcli subnets register",
    );
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
  const gentrx = values.gentrx
    ? minerBucket(values.bucket!, (name) => Deno.env.get(name))
    : undefined;
  if (gentrx && chain.kind === "subtensor") {
    const result = await commitBucketOnSubtensor(
      chain,
      hotkey,
      formatBucketLocation(gentrx.readKey),
    );
    console.log(
      `Bucket read key ${
        result === "committed" ? "committed" : "already committed"
      } on netuid ${chain.netuid} for ${hotkey.address}`,
    );
  }
  startHeadlessMiner({
    url: values.validator,
    hotkey,
    agent: await loadAgent(values.agent),
    params: parseParams(values.param),
    seed: Number(values.seed),
    gentrx: gentrx && { ...gentrx, commitVia: chain.kind === "subtensor" ? "chain" : "session" },
  });
}

if (import.meta.main) {
  main().catch((error) => {
    console.error((error as Error).message);
    Deno.exit(1);
  });
}
