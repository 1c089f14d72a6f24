/**
 * Validator settings from command-line flags and environment variables
 * (flags win). Bad values fail fast with the setting's name and its limits.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { repoPath } from "@/server/paths.ts";
import { type ChainSetting, chainSetting } from "@/server/chain/chain_setting.ts";
import { OPERATOR_KEY_PATTERN } from "@/server/operator_key.ts";
import {
  FORECAST_FLAGS,
  type ForecastSettings,
  forecastSettings,
} from "@/server/forecast/forecast_config.ts";
import {
  GENTRX_FLAGS,
  type GenTrxSettings,
  gentrxSettings,
} from "@/server/gentrx/gentrx_config.ts";
import {
  DEFAULT_SCORING_MODULE,
  isScoringModuleName,
  SCORING_MODULE_NAMES,
  type ScoringModuleName,
} from "@/server/scoring/scoring_modules.ts";

export interface Config {
  /** HTTP port; 0 picks a free one. Flag --port, env PORT; default 8000. */
  port: number;
  /** Listen address. Flag --hostname, env MARKETFORGE_HOSTNAME; default 127.0.0.1. */
  hostname: string;
  /** Folder for Deno KV and other state. Flag --data, env MARKETFORGE_DATA. */
  dataDir: string;
  /** Seed of every random choice. Flag --seed, env MARKETFORGE_SEED; default 1. */
  seed: number;
  /** Number of simulated books. Flag --books, env MARKETFORGE_BOOKS; default 4. */
  books: number;
  /** Wall-clock milliseconds between simulation steps. Flag --step-ms; default 100. */
  stepMs: number;
  /**
   * Rounds (simulated seconds) between checkpoints of the simulation (README
   * "Crash safety"); 0 turns them off. Flag --checkpoint-rounds, env
   * MARKETFORGE_CHECKPOINT_ROUNDS; default 300.
   */
  checkpointRounds: number;
  /**
   * Secret URI of the validator's sr25519 hotkey (a mnemonic or a dev path).
   * Flag --validator-key, env MARKETFORGE_VALIDATOR_KEY; default the local
   * network's dev key "//Alice".
   */
  validatorKey: string;
  /** Example agents mining locally from the start. Flag --demo-miners; default 4. */
  demoMiners: number;
  /** How long miners have to answer a state, ms (τaos 3 s). Flag --response-timeout-ms. */
  responseTimeoutMs: number;
  /**
   * Simulated seconds at the start of a simulation before miners may act.
   * Flag --grace-seconds; default 30 (τaos uses 600, which at the default
   * pace would keep a newcomer's demo miners idle for a minute).
   */
  graceSeconds: number;
  /**
   * Simulated seconds one simulation lasts; at the end miners get ESE, are
   * scored, and a new simulation starts with fresh capital. Flag
   * --sim-duration-seconds, env MARKETFORGE_SIM_DURATION_SECONDS; default
   * τaos's 24 h (86,400).
   */
  simDurationSeconds: number;
  /**
   * Scoring module by name (server/scoring/scoring_modules.ts). Flag
   * --scoring, env MARKETFORGE_SCORING; default "kappa".
   */
  scoring: ScoringModuleName;
  /**
   * The chain: "local" (default) or a subtensor node's ws:// or wss:// URL.
   * Flag --chain, env MARKETFORGE_CHAIN; with a URL, the subnet from flag
   * --netuid, env MARKETFORGE_NETUID (1 to 65535; 0 is the root network).
   */
  chain: ChainSetting;
  /**
   * Path of the background market's simulation config, a JSON file of
   * setting groups (engine/sim/sim_config.ts; τaos's defaults for anything
   * left out). Flag --sim-config, env MARKETFORGE_SIM_CONFIG; default none.
   */
  simConfigPath: string | undefined;
  /** The forecast pool (server/forecast/forecast_config.ts). */
  forecast: ForecastSettings;
  /** The GenTRX training pool (server/gentrx/gentrx_config.ts); undefined unless --gentrx. */
  gentrx: GenTrxSettings | undefined;
  /**
   * The secret that opens the validator dashboard and /metrics
   * (server/operator_key.ts). Flag --operator-key, env
   * MARKETFORGE_OPERATOR_KEY; 16 to 256 printable ASCII characters without
   * spaces. Unset: a random one on a loopback address (printed once at
   * startup in the dashboard's URL); off loopback the validator refuses to start.
   */
  operatorKey: string | undefined;
  /**
   * Serve GET /metrics without the operator key. Flag --public-metrics, env
   * MARKETFORGE_PUBLIC_METRICS=1; default off.
   */
  publicMetrics: boolean;
}

interface IntegerSetting {
  flag: string;
  env: string;
  fallback: number;
  min: number;
  max: number;
}

const integerSettings = {
  port: { flag: "port", env: "PORT", fallback: 8000, min: 0, max: 65_535 },
  seed: { flag: "seed", env: "MARKETFORGE_SEED", fallback: 1, min: 0, max: 2 ** 31 - 1 },
  books: { flag: "books", env: "MARKETFORGE_BOOKS", fallback: 4, min: 1, max: 1024 },
  stepMs: { flag: "step-ms", env: "MARKETFORGE_STEP_MS", fallback: 100, min: 1, max: 60_000 },
  checkpointRounds: {
    flag: "checkpoint-rounds",
    env: "MARKETFORGE_CHECKPOINT_ROUNDS",
    fallback: 300,
    min: 0,
    max: 1_000_000,
  },
  demoMiners: { flag: "demo-miners", env: "MARKETFORGE_DEMO_MINERS", fallback: 4, min: 0, max: 16 },
  graceSeconds: {
    flag: "grace-seconds",
    env: "MARKETFORGE_GRACE_SECONDS",
    fallback: 30,
    min: 0,
    max: 86_400,
  },
  simDurationSeconds: {
    flag: "sim-duration-seconds",
    env: "MARKETFORGE_SIM_DURATION_SECONDS",
    fallback: 86_400,
    min: 1,
    max: 31_536_000,
  },
  responseTimeoutMs: {
    flag: "response-timeout-ms",
    env: "MARKETFORGE_RESPONSE_TIMEOUT_MS",
    fallback: 3000,
    min: 1,
    max: 60_000,
  },
  netuid: { flag: "netuid", env: "MARKETFORGE_NETUID", fallback: 0, min: 1, max: 65_535 },
} satisfies Record<string, IntegerSetting>;

/** Reads the configuration; throws a RangeError naming any bad setting. */
export function parseConfig(
  args: string[],
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Config {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      hostname: { type: "string" },
      data: { type: "string" },
      seed: { type: "string" },
      books: { type: "string" },
      "step-ms": { type: "string" },
      "checkpoint-rounds": { type: "string" },
      "validator-key": { type: "string" },
      "demo-miners": { type: "string" },
      "response-timeout-ms": { type: "string" },
      "grace-seconds": { type: "string" },
      "sim-duration-seconds": { type: "string" },
      scoring: { type: "string" },
      chain: { type: "string" },
      netuid: { type: "string" },
      "sim-config": { type: "string" },
      "operator-key": { type: "string" },
      "public-metrics": { type: "boolean" },
      ...FORECAST_FLAGS,
      ...GENTRX_FLAGS,
    },
    strict: true,
    allowPositionals: false,
  });
  const integer = (setting: IntegerSetting): number => {
    const fromFlag = values[setting.flag as keyof typeof values];
    const raw = fromFlag ?? env(setting.env);
    if (raw === undefined || raw === "") return setting.fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
      const source = fromFlag === undefined ? setting.env : `--${setting.flag}`;
      throw new RangeError(
        `Invalid ${source} "${raw}": must be an integer from ${setting.min} to ${setting.max}`,
      );
    }
    return value;
  };
  const books = integer(integerSettings.books);
  const dataDir = values.data ?? env("MARKETFORGE_DATA") ?? repoPath("data");
  return {
    port: integer(integerSettings.port),
    hostname: values.hostname ?? env("MARKETFORGE_HOSTNAME") ?? "127.0.0.1",
    dataDir,
    seed: integer(integerSettings.seed),
    books,
    stepMs: integer(integerSettings.stepMs),
    checkpointRounds: integer(integerSettings.checkpointRounds),
    validatorKey: values["validator-key"] ?? env("MARKETFORGE_VALIDATOR_KEY") ?? "//Alice",
    demoMiners: integer(integerSettings.demoMiners),
    responseTimeoutMs: integer(integerSettings.responseTimeoutMs),
    ...simulationTimes(
      integer(integerSettings.graceSeconds),
      integer(integerSettings.simDurationSeconds),
    ),
    scoring: scoringSetting(values.scoring, env("MARKETFORGE_SCORING")),
    chain: chainSetting(values.chain, env("MARKETFORGE_CHAIN"), () => {
      if (values.netuid === undefined && !env(integerSettings.netuid.env)) return undefined;
      return integer(integerSettings.netuid);
    }),
    simConfigPath: values["sim-config"] ?? (env("MARKETFORGE_SIM_CONFIG") || undefined),
    forecast: forecastSettings(values, env, books),
    gentrx: gentrxSettings(values, env, dataDir),
    operatorKey: operatorKeySetting(values["operator-key"], env("MARKETFORGE_OPERATOR_KEY")),
    publicMetrics: values["public-metrics"] ??
      booleanSetting("MARKETFORGE_PUBLIC_METRICS", env("MARKETFORGE_PUBLIC_METRICS")),
  };
}

/** The operator key as a bearer token can carry it; the value itself is never echoed. */
function operatorKeySetting(flag?: string, fromEnv?: string): string | undefined {
  const key = flag ?? (fromEnv || undefined);
  if (key === undefined || OPERATOR_KEY_PATTERN.test(key)) return key;
  const source = flag === undefined ? "MARKETFORGE_OPERATOR_KEY" : "--operator-key";
  throw new RangeError(
    `Invalid ${source}: must be 16 to 256 printable ASCII characters without spaces (got ${key.length} characters)`,
  );
}

function booleanSetting(name: string, raw?: string): boolean {
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new RangeError(`Invalid ${name} "${raw}": must be 1, true, 0 or false`);
}

/** A simulation whose grace period outlasts it would never serve a miner. */
function simulationTimes(graceSeconds: number, simDurationSeconds: number) {
  if (graceSeconds >= simDurationSeconds) {
    throw new RangeError(
      `Invalid --grace-seconds ${graceSeconds}: must be less than --sim-duration-seconds (${simDurationSeconds})`,
    );
  }
  return { graceSeconds, simDurationSeconds };
}

function scoringSetting(flag?: string, fromEnv?: string): ScoringModuleName {
  const name = flag ?? fromEnv ?? DEFAULT_SCORING_MODULE;
  if (isScoringModuleName(name)) return name;
  const source = flag === undefined ? "MARKETFORGE_SCORING" : "--scoring";
  throw new RangeError(
    `Invalid ${source} "${name}": must be one of ${SCORING_MODULE_NAMES.join(", ")}`,
  );
}
