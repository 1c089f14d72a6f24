/**
 * Frames on the miner WebSocket (`/api/miner/ws`): binary messages, each one
 * msgpack map with a type `t` and the protocol version `v`.
 *
 * Handshake: the validator sends `challenge`; the miner answers `grant`
 * (engine/auth/session_grant.ts) and gets `session` or an `error` and a
 * closed socket. Then the miner sends `response` frames — an opaque msgpack
 * body signed with the session key under a strictly increasing sequence —
 * and the validator pushes `state` frames. Anything malformed gets an
 * `error` frame naming the field and the limit.
 *
 * @module
 */
import { decode } from "@msgpack/msgpack";
import type { SessionGrant } from "@/engine/auth/session_grant.ts";
import type { GenTrxAssignment } from "@/engine/gentrx/store/miner_work.ts";
import {
  FieldError,
  readBytes,
  readInteger,
  readRecord,
  readText,
} from "@/engine/protocol/fields.ts";
import {
  BinaryParts,
  encodeValue,
  joinParts,
  mapParts,
  type ScratchJoiner,
} from "@/engine/protocol/msgpack_parts.ts";

export { FieldError } from "@/engine/protocol/fields.ts";

export const PROTOCOL_VERSION = 1;

/** Largest frame a miner may send; larger ones close the connection. */
export const MAX_MINER_FRAME_BYTES = 256 * 1024;

export type ServerFrame =
  | { t: "challenge"; v: number; validator: string; challenge: string; expiresAt: number }
  | { t: "session"; v: number; uid: number; hotkey: string; expiresAt: number }
  | { t: "ack"; v: number; seq: number }
  | { t: "state"; v: number; step: number; body: Uint8Array }
  /**
   * Forecast pool (engine/forecast/forecast_frames.ts): commit to the next
   * `horizon` closes of `stream` — answer a response body
   * `{ forecast: id, commitment }` — then reveal them when asked, and get
   * the realised closes once known.
   */
  | ForecastRequestFrame
  | { t: "reveal"; v: number; id: string }
  | { t: "outcome"; v: number; id: string; closes: number[] }
  /** Training data a miner asked for (`{ history: stream, after }`): candles after `after`. */
  | { t: "history"; v: number; stream: string; history: ForecastRequestFrame["history"] }
  /**
   * GenTRX training pool (engine/gentrx/gentrx_frames.ts): a round's work
   * for an opted-in miner, answered by a signed response body
   * `{ gentrx: "uploaded", round, key, sizeBytes }`; and the validator's
   * receipt for each of the miner's GenTRX bodies.
   */
  | GenTrxAssignFrame
  | GenTrxReceiptFrame
  | { t: "error"; v: number; code: string; message: string; fatal: boolean; seq?: number };

/** A forecast request: the stream's recent candles as parallel columns (TSPS's standardized ds). */
export interface ForecastRequestFrame {
  t: "forecast";
  v: number;
  id: string;
  stream: string;
  intervalMs: number;
  horizon: number;
  /** Close times (ms) and OHLCV of the recent candles, oldest first. */
  history: {
    closeTime: number[];
    open: number[];
    high: number[];
    low: number[];
    close: number[];
    volume: number[];
  };
}

/**
 * One miner's GenTRX assignment (τaos `GenTRXAssignment`, taos.md §6.3):
 * train model `modelVersion` on `pages` (newest first) read from `data`,
 * upload the delta to the miner's bucket before `deadlineMs`.
 */
export interface GenTrxAssignFrame extends GenTrxAssignment {
  t: "gentrx_assign";
  v: number;
  /** Unix ms after which an upload scores 0. */
  deadlineMs: number;
  /** The validator's bucket with read credentials (engine/gentrx/store/bucket_location.ts). */
  data: string;
  /** Key scope (data_keys.ts) and the UID publishing the model (τaos uid 0). */
  network: "mainnet" | "testnet" | "local";
  source: "simulation" | "exchange";
  aggregatorUid: number;
}

/** The validator's answer to a miner's GenTRX body: recorded, or refused with the reason. */
export interface GenTrxReceiptFrame {
  t: "gentrx_receipt";
  v: number;
  kind: "join" | "commit" | "uploaded";
  /** The round of an `uploaded` body. */
  round?: number;
  ok: boolean;
  message: string;
}

export type MinerFrame =
  | { t: "grant"; v: number; grant: SessionGrant; signature: Uint8Array }
  | { t: "response"; v: number; seq: number; body: Uint8Array; signature: Uint8Array };

export function encodeFrame(frame: ServerFrame | MinerFrame): Uint8Array<ArrayBuffer> {
  return encodeValue(frame) as Uint8Array<ArrayBuffer>;
}

/**
 * The bytes `encodeFrame` writes for `{ t: "state", v, step, body }`, with
 * the body given as parts (state_update.ts `stateUpdateParts`): one buffer
 * of exactly the frame's size, each part copied into it once — a fresh one,
 * or with `scratch` a view into its buffer that the next frame overwrites
 * (for bytes sent at once).
 */
export function encodeStateFrame(
  step: number,
  body: readonly Uint8Array[],
  scratch?: ScratchJoiner,
): Uint8Array<ArrayBuffer> {
  const parts = mapParts([["t", "state"], ["v", PROTOCOL_VERSION], ["step", step], [
    "body",
    new BinaryParts(body),
  ]]);
  return scratch ? scratch.join(parts) : joinParts(parts);
}

/** Decodes a validator → miner frame (trusted side: light checks). */
export function decodeServerFrame(bytes: Uint8Array): ServerFrame {
  const frame = decode(bytes) as ServerFrame;
  if (typeof frame !== "object" || frame === null || typeof frame.t !== "string") {
    throw new FieldError("frame", "must be a map with a type");
  }
  return frame;
}

/**
 * Decodes and validates a miner → validator frame. Throws FieldError naming
 * the field and its limit for anything but a well-formed frame.
 */
export function decodeMinerFrame(bytes: Uint8Array): MinerFrame {
  if (bytes.byteLength > MAX_MINER_FRAME_BYTES) {
    throw new FieldError(
      "frame",
      `${bytes.byteLength} bytes exceeds the limit of ${MAX_MINER_FRAME_BYTES}`,
    );
  }
  let value: unknown;
  try {
    value = decode(bytes, { maxStrLength: 4096, maxArrayLength: 64, maxMapLength: 64 });
  } catch (error) {
    throw new FieldError("frame", `not msgpack (${(error as Error).message})`);
  }
  const frame = readRecord(value, "frame");
  if (frame.v !== PROTOCOL_VERSION) {
    throw new FieldError("v", `protocol version ${frame.v}, expected ${PROTOCOL_VERSION}`);
  }
  switch (frame.t) {
    case "grant": {
      const grant = readRecord(frame.grant, "grant");
      return {
        t: "grant",
        v: PROTOCOL_VERSION,
        grant: {
          validator: readText(grant.validator, "grant.validator", 64),
          hotkey: readText(grant.hotkey, "grant.hotkey", 64),
          sessionKey: readText(grant.sessionKey, "grant.sessionKey", 66),
          challenge: readText(grant.challenge, "grant.challenge", 66),
          expiresAt: readInteger(grant.expiresAt, "grant.expiresAt"),
        },
        signature: readBytes(frame.signature, "signature", 64),
      };
    }
    case "response":
      return {
        t: "response",
        v: PROTOCOL_VERSION,
        seq: readInteger(frame.seq, "seq"),
        body: readBytes(frame.body, "body", MAX_MINER_FRAME_BYTES),
        signature: readBytes(frame.signature, "signature", 64),
      };
    default:
      throw new FieldError("t", `unknown frame type ${JSON.stringify(frame.t)}`);
  }
}
