/**
 * The GenTRX training pool's messages on the miner session (τaos's
 * `GenTRXAssignment` dendrite and gradient bucket polling, taos.md §6.3, as
 * frames on the gateway WebSocket, engine/gateway/frames.ts):
 *
 * 1. miner → validator, signed response bodies:
 *    - `{ gentrx: "commit", commitment }` — the miner's bucket read key
 *      (bucket_location.ts). On the local network the validator stores it
 *      as the hotkey's chain commitment, which is what `set_commitment`
 *      does on subtensor; there the miner commits on chain itself.
 *    - `{ gentrx: "join" }` — opt in for this session's rounds.
 *    - `{ gentrx: "uploaded", round, key, sizeBytes }` — the round's delta
 *      is in the miner's bucket under `key`.
 * 2. validator → miner `gentrx_assign` per round, and a `gentrx_receipt`
 *    for each body above (refusals name the field and the limit).
 *
 * Both sides validate everything with FieldError, as the other frames do.
 *
 * @module
 */
import type { GenTrxAssignFrame } from "@/engine/gateway/frames.ts";
import { PROTOCOL_VERSION } from "@/engine/gateway/frames.ts";
import { MAX_DELTA_BYTES } from "@/engine/gentrx/compression/delta_codec.ts";
import {
  MAX_COMMITMENT_CHARS,
  MAX_LOCATION_CHARS,
  parseBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import type { GenTrxAssignment } from "@/engine/gentrx/store/miner_work.ts";
import { MAX_KEY_LENGTH, validateKey } from "@/engine/gentrx/store/object_store.ts";
import {
  FieldError,
  readArray,
  readInteger,
  readRecord,
  readText,
} from "@/engine/protocol/fields.ts";

/** Most pages one assignment may carry (τaos assigns 3). */
export const MAX_ASSIGNED_PAGES = 16;
const NETWORKS = ["mainnet", "testnet", "local"] as const;
const SOURCES = ["simulation", "exchange"] as const;

export type GenTrxMinerBody =
  | { gentrx: "join" }
  | { gentrx: "commit"; commitment: string }
  | { gentrx: "uploaded"; round: number; key: string; sizeBytes: number };

/** The assignment frame for `assignment`. */
export function assignFrame(
  assignment: GenTrxAssignment,
  fields: Pick<
    GenTrxAssignFrame,
    "deadlineMs" | "data" | "network" | "source" | "aggregatorUid"
  >,
): GenTrxAssignFrame {
  return {
    t: "gentrx_assign",
    v: PROTOCOL_VERSION,
    round: assignment.round,
    uid: assignment.uid,
    modelVersion: assignment.modelVersion,
    pages: assignment.pages,
    tsStartNs: assignment.tsStartNs,
    tsEndNs: assignment.tsEndNs,
    ...fields,
  };
}

function readKey(value: unknown, field: string): string {
  const key = readText(value, field, MAX_KEY_LENGTH);
  try {
    validateKey(key);
  } catch (error) {
    throw new FieldError(field, (error as Error).message);
  }
  return key;
}

function readChoice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw new FieldError(field, `must be one of ${choices.join(", ")}`);
  }
  return value as T;
}

/**
 * Validates a `gentrx_assign` frame as the miner receives it (the miner
 * reads the pages and the model from `data`, so nothing is taken on trust).
 * `allowFolder`: a `file:` data location is accepted (same machine).
 */
export function readGenTrxAssign(value: unknown, allowFolder: boolean): GenTrxAssignFrame {
  const frame = readRecord(value, "gentrx_assign");
  if (frame.t !== "gentrx_assign") {
    throw new FieldError("gentrx_assign.t", `expected "gentrx_assign", got "${frame.t}"`);
  }
  const field = (name: string) => `gentrx_assign.${name}`;
  const pages = readArray(frame.pages, field("pages"), MAX_ASSIGNED_PAGES).map((key, i) =>
    readKey(key, field(`pages[${i}]`))
  );
  if (pages.length === 0) throw new FieldError(field("pages"), "must hold at least 1 page");
  const tsStartNs = readInteger(frame.tsStartNs, field("tsStartNs"));
  const tsEndNs = readInteger(frame.tsEndNs, field("tsEndNs"));
  if (tsEndNs < tsStartNs) {
    throw new FieldError(field("tsEndNs"), `must not be before tsStartNs ${tsStartNs}`);
  }
  const data = readText(frame.data, field("data"), MAX_LOCATION_CHARS);
  parseBucketLocation(data, field("data"), { maxChars: MAX_LOCATION_CHARS, allowFolder });
  return {
    t: "gentrx_assign",
    v: readInteger(frame.v, field("v"), PROTOCOL_VERSION, PROTOCOL_VERSION),
    round: readInteger(frame.round, field("round")),
    uid: readInteger(frame.uid, field("uid"), 0, 65_535),
    modelVersion: readInteger(frame.modelVersion, field("modelVersion")),
    pages,
    tsStartNs,
    tsEndNs,
    deadlineMs: readInteger(frame.deadlineMs, field("deadlineMs"), 1),
    data,
    network: readChoice(frame.network, field("network"), NETWORKS),
    source: readChoice(frame.source, field("source"), SOURCES),
    aggregatorUid: readInteger(frame.aggregatorUid, field("aggregatorUid"), 0, 65_535),
  };
}

/**
 * Reads a decoded response body as a GenTRX body; null when it is not one
 * (a trading or forecast response). Throws a FieldError naming the field
 * for a malformed one.
 */
export function readGenTrxBody(body: unknown): GenTrxMinerBody | null {
  if (typeof body !== "object" || body === null || !("gentrx" in body)) return null;
  const record = body as Record<string, unknown>;
  switch (record.gentrx) {
    case "join":
      return { gentrx: "join" };
    case "commit":
      // Any form a chain commitment may take; the validator decides which it reads.
      parseBucketLocation(record.commitment, "gentrx.commitment", {
        maxChars: MAX_COMMITMENT_CHARS,
        allowFolder: true,
      });
      return { gentrx: "commit", commitment: record.commitment as string };
    case "uploaded":
      return {
        gentrx: "uploaded",
        round: readInteger(record.round, "gentrx.round"),
        key: readKey(record.key, "gentrx.key"),
        sizeBytes: readInteger(record.sizeBytes, "gentrx.sizeBytes", 1, MAX_DELTA_BYTES),
      };
    default:
      throw new FieldError("gentrx", 'must be "join", "commit" or "uploaded"');
  }
}
