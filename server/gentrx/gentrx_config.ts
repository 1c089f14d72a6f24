/**
 * The GenTRX training pool's settings (server/config.ts declares the flags
 * and calls gentrxSettings). Off unless `--gentrx` (env MARKETFORGE_GENTRX=1).
 *
 * - `--gentrx-round-steps` (env MARKETFORGE_GENTRX_ROUND_STEPS): simulation
 *   steps per round on the local network, which has no blocks; default 300.
 * - `--gentrx-round-blocks` (env MARKETFORGE_GENTRX_ROUND_BLOCKS): chain
 *   blocks per round on subtensor; default 25 as τaos (taos.md §6.3). Every
 *   validator of a subnet must use the same, or their rounds differ.
 * - `--gentrx-demo-trainers` (env MARKETFORGE_GENTRX_DEMO_TRAINERS): demo
 *   miners that also opt in to training, as headless miners with a bucket
 *   folder each under `<data>/miner_buckets/`; default 2.
 * - `--gentrx-rows-per-page` (default 2000 locally; τaos 30 000).
 * - The bucket: a local folder `<data>/objects` unless
 *   `GENTRX_VALIDATOR_S3_ENDPOINT`, `_BUCKET`, `_ACCESS_KEY_ID`,
 *   `_SECRET_ACCESS_KEY` (and optionally `_REGION`) name an S3 bucket
 *   (τaos's GENTRX_VALIDATOR_S3_*, taos.md §6.6). Miners read the pages
 *   with `GENTRX_VALIDATOR_S3_READ_ACCESS_KEY_ID` and `_READ_SECRET_ACCESS_KEY`,
 *   read-only keys sent in each assignment; without them no round opens.
 * - `GENTRX_API_KEY`: required on /gentrx requests when set.
 *
 * @module
 */
import type { S3ObjectStoreOptions } from "@/engine/gentrx/store/s3_object_store.ts";

/** τaos's round on subtensor: `round = block // 25`, about 5 minutes (taos.md §6.3). */
export const DEFAULT_ROUND_BLOCKS = 25;
/** Shortest round on subtensor: 5 blocks (1 minute, of which miners get 48 s). */
const MIN_ROUND_BLOCKS = 5;
/** Longest round on subtensor: 7200 blocks, a day of 12 s blocks. */
const MAX_ROUND_BLOCKS = 7_200;

export type GenTrxStoreSetting =
  | { kind: "folder"; path: string }
  | ({ kind: "s3" } & S3ObjectStoreOptions);

export interface GenTrxSettings {
  roundSteps: number;
  roundBlocks: number;
  demoTrainers: number;
  rowsPerPage: number;
  store: GenTrxStoreSetting;
  /** Read-only credentials for an S3 `store`, sent to miners with their assignments. */
  dataReadKey?: { accessKeyId: string; secretAccessKey: string };
  apiKey: string | undefined;
}

/** parseArgs options of the GenTRX flags. */
export const GENTRX_FLAGS = {
  "gentrx": { type: "boolean" },
  "gentrx-round-steps": { type: "string" },
  "gentrx-round-blocks": { type: "string" },
  "gentrx-demo-trainers": { type: "string" },
  "gentrx-rows-per-page": { type: "string" },
} as const;

type Values = {
  gentrx?: boolean;
  "gentrx-round-steps"?: string;
  "gentrx-round-blocks"?: string;
  "gentrx-demo-trainers"?: string;
  "gentrx-rows-per-page"?: string;
};

const S3_FIELDS = {
  endpoint: "GENTRX_VALIDATOR_S3_ENDPOINT",
  bucket: "GENTRX_VALIDATOR_S3_BUCKET",
  accessKeyId: "GENTRX_VALIDATOR_S3_ACCESS_KEY_ID",
  secretAccessKey: "GENTRX_VALIDATOR_S3_SECRET_ACCESS_KEY",
} as const;

/** The pool's settings, or undefined when it is off. */
export function gentrxSettings(
  values: Values,
  env: (name: string) => string | undefined,
  dataDir: string,
): GenTrxSettings | undefined {
  const on = values.gentrx ?? ["1", "true"].includes(env("MARKETFORGE_GENTRX") ?? "");
  if (!on) return undefined;
  const integer = (flag: keyof Values & string, fallback: number, min: number, max: number) => {
    const envName = `MARKETFORGE_${flag.toUpperCase().replaceAll("-", "_")}`;
    const fromFlag = values[flag] as string | undefined;
    const raw = fromFlag ?? env(envName);
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(
        `Invalid ${
          fromFlag === undefined ? envName : `--${flag}`
        } "${raw}": must be an integer from ${min} to ${max}`,
      );
    }
    return value;
  };
  const s3Values = Object.fromEntries(
    Object.entries(S3_FIELDS).map(([field, name]) => [field, env(name) || undefined]),
  ) as Partial<Record<keyof typeof S3_FIELDS, string>>;
  const given = Object.entries(s3Values).filter(([, value]) => value !== undefined);
  let store: GenTrxStoreSetting = { kind: "folder", path: `${dataDir}/objects` };
  if (given.length > 0) {
    const missing = Object.entries(S3_FIELDS).filter(([field]) =>
      s3Values[field as keyof typeof S3_FIELDS] === undefined
    ).map(([, name]) => name);
    if (missing.length > 0) {
      throw new RangeError(`Missing ${missing.join(", ")}: an S3 bucket needs all four settings`);
    }
    store = {
      kind: "s3",
      endpoint: s3Values.endpoint!,
      bucket: s3Values.bucket!,
      accessKeyId: s3Values.accessKeyId!,
      secretAccessKey: s3Values.secretAccessKey!,
      region: env("GENTRX_VALIDATOR_S3_REGION") || undefined,
    };
  }
  const readId = env("GENTRX_VALIDATOR_S3_READ_ACCESS_KEY_ID") || undefined;
  const readSecret = env("GENTRX_VALIDATOR_S3_READ_SECRET_ACCESS_KEY") || undefined;
  if ((readId === undefined) !== (readSecret === undefined)) {
    throw new RangeError(
      "Missing GENTRX_VALIDATOR_S3_READ_ACCESS_KEY_ID or _READ_SECRET_ACCESS_KEY: a read key needs both",
    );
  }
  return {
    roundSteps: integer("gentrx-round-steps", 300, 10, 1_000_000),
    roundBlocks: integer(
      "gentrx-round-blocks",
      DEFAULT_ROUND_BLOCKS,
      MIN_ROUND_BLOCKS,
      MAX_ROUND_BLOCKS,
    ),
    demoTrainers: integer("gentrx-demo-trainers", 2, 0, 16),
    rowsPerPage: integer("gentrx-rows-per-page", 2000, 100, 1_000_000),
    store,
    ...(readId && readSecret
      ? { dataReadKey: { accessKeyId: readId, secretAccessKey: readSecret } }
      : {}),
    apiKey: env("GENTRX_API_KEY") || undefined,
  };
}
