/**
 * The bytes of one validator checkpoint: the background market's own
 * checkpoint (native/sim, `Engine.checkpoint()`) and the loop's state
 * (`ValidatorLoop.state()`: funded miners, hotkeys, resting orders, the
 * scoring ledger) at the end of one round, so a restart restores both and
 * replays only the rounds logged after it.
 *
 * Layout: "MFCP", format version (u32 LE), SHA-256 of the payload (32
 * bytes), then the payload as msgpack. The checksum catches a torn or
 * damaged file before the native restore sees it; the version refuses a
 * checkpoint written by an incompatible build instead of misreading it.
 *
 * @module
 */
import { decode, encode } from "@msgpack/msgpack";
import type { LoopState } from "@/server/validator_loop.ts";

export const CHECKPOINT_FORMAT = 1;
const MAGIC = [0x4d, 0x46, 0x43, 0x50]; // "MFCP"
const HEADER_BYTES = 4 + 4 + 32;

export interface LoopCheckpoint {
  /** The simulation (server/store/simulation_log.ts meta id) it belongs to. */
  simulationId: string;
  round: number;
  engine: Uint8Array;
  loop: LoopState;
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(`Cannot read checkpoint: ${message}`);
    this.name = "CheckpointError";
  }
}

export async function encodeCheckpoint(checkpoint: LoopCheckpoint): Promise<Uint8Array> {
  const payload = encode(checkpoint);
  const bytes = new Uint8Array(HEADER_BYTES + payload.length);
  bytes.set(MAGIC);
  new DataView(bytes.buffer).setUint32(4, CHECKPOINT_FORMAT, true);
  bytes.set(await sha256(payload), 8);
  bytes.set(payload, HEADER_BYTES);
  return bytes;
}

/** The checkpoint in `bytes`; throws a CheckpointError naming what is wrong. */
export async function decodeCheckpoint(bytes: Uint8Array): Promise<LoopCheckpoint> {
  if (bytes.length < HEADER_BYTES) {
    throw new CheckpointError(
      `${bytes.length} bytes, shorter than its ${HEADER_BYTES}-byte header`,
    );
  }
  if (MAGIC.some((byte, i) => bytes[i] !== byte)) throw new CheckpointError("not a checkpoint");
  const version = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  if (version !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(`format ${version}, this build reads ${CHECKPOINT_FORMAT}`);
  }
  const payload = bytes.subarray(HEADER_BYTES);
  const digest = await sha256(payload);
  if (digest.some((byte, i) => bytes[8 + i] !== byte)) {
    throw new CheckpointError("checksum mismatch (damaged or truncated)");
  }
  let value: unknown;
  try {
    value = decode(payload);
  } catch (error) {
    throw new CheckpointError(`payload: ${(error as Error).message}`);
  }
  return checked(value);
}

function checked(value: unknown): LoopCheckpoint {
  const checkpoint = value as Partial<LoopCheckpoint> | null;
  if (typeof checkpoint?.simulationId !== "string") throw new CheckpointError("no simulationId");
  if (!Number.isSafeInteger(checkpoint.round) || checkpoint.round! < 0) {
    throw new CheckpointError(`round ${checkpoint.round} is not a whole number ≥ 0`);
  }
  if (!(checkpoint.engine instanceof Uint8Array)) throw new CheckpointError("no engine bytes");
  const loop = checkpoint.loop as Partial<LoopState> | undefined;
  for (const field of ["funded", "hotkeys", "openOrders", "ledger"] as const) {
    if (!Array.isArray(loop?.[field])) throw new CheckpointError(`loop.${field} is not a list`);
  }
  if (loop!.round !== checkpoint.round) {
    throw new CheckpointError(`loop.round ${loop!.round} differs from round ${checkpoint.round}`);
  }
  return checkpoint as LoopCheckpoint;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}
