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
import { decode, encode } from "@msgpack/msgpack";
import type { SessionGrant } from "@/engine/auth/session_grant.ts";

export const PROTOCOL_VERSION = 1;

/** Largest frame a miner may send; larger ones close the connection. */
export const MAX_MINER_FRAME_BYTES = 256 * 1024;

export type ServerFrame =
  | { t: "challenge"; v: number; validator: string; challenge: string; expiresAt: number }
  | { t: "session"; v: number; uid: number; hotkey: string; expiresAt: number }
  | { t: "ack"; v: number; seq: number }
  | { t: "state"; v: number; step: number; body: Uint8Array }
  | { t: "error"; v: number; code: string; message: string; fatal: boolean; seq?: number };

export type MinerFrame =
  | { t: "grant"; v: number; grant: SessionGrant; signature: Uint8Array }
  | { t: "response"; v: number; seq: number; body: Uint8Array; signature: Uint8Array };

/** A frame that could not be read; `field` names what was wrong. */
export class FrameError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "FrameError";
    this.field = field;
  }
}

export function encodeFrame(frame: ServerFrame | MinerFrame): Uint8Array<ArrayBuffer> {
  return encode(frame) as Uint8Array<ArrayBuffer>;
}

/** Decodes a validator → miner frame (trusted side: light checks). */
export function decodeServerFrame(bytes: Uint8Array): ServerFrame {
  const frame = decode(bytes) as ServerFrame;
  if (typeof frame !== "object" || frame === null || typeof frame.t !== "string") {
    throw new FrameError("t", "Invalid frame: not a map with a type");
  }
  return frame;
}

/**
 * Decodes and validates a miner → validator frame. Throws FrameError naming
 * the field and its limit for anything but a well-formed frame.
 */
export function decodeMinerFrame(bytes: Uint8Array): MinerFrame {
  if (bytes.byteLength > MAX_MINER_FRAME_BYTES) {
    throw new FrameError(
      "frame",
      `Invalid frame: ${bytes.byteLength} bytes exceeds the limit of ${MAX_MINER_FRAME_BYTES}`,
    );
  }
  let value: unknown;
  try {
    value = decode(bytes, { maxStrLength: 4096, maxArrayLength: 64, maxMapLength: 64 });
  } catch (error) {
    throw new FrameError("frame", `Invalid frame: not msgpack (${(error as Error).message})`);
  }
  const frame = record(value, "frame");
  if (frame.v !== PROTOCOL_VERSION) {
    throw new FrameError(
      "v",
      `Invalid frame: protocol version ${frame.v}, expected ${PROTOCOL_VERSION}`,
    );
  }
  switch (frame.t) {
    case "grant": {
      const grant = record(frame.grant, "grant");
      return {
        t: "grant",
        v: PROTOCOL_VERSION,
        grant: {
          validator: text(grant.validator, "grant.validator", 64),
          hotkey: text(grant.hotkey, "grant.hotkey", 64),
          sessionKey: text(grant.sessionKey, "grant.sessionKey", 66),
          challenge: text(grant.challenge, "grant.challenge", 66),
          expiresAt: integer(grant.expiresAt, "grant.expiresAt"),
        },
        signature: bytesOf(frame.signature, "signature", 64),
      };
    }
    case "response":
      return {
        t: "response",
        v: PROTOCOL_VERSION,
        seq: integer(frame.seq, "seq"),
        body: bytesOf(frame.body, "body", MAX_MINER_FRAME_BYTES),
        signature: bytesOf(frame.signature, "signature", 64),
      };
    default:
      throw new FrameError("t", `Invalid frame: unknown type ${JSON.stringify(frame.t)}`);
  }
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (
    typeof value !== "object" || value === null || Array.isArray(value) ||
    value instanceof Uint8Array
  ) {
    throw new FrameError(field, `Invalid ${field}: must be a map`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== "string" || value.length === 0 || value.length > maxLength) {
    throw new FrameError(
      field,
      `Invalid ${field}: must be a string of 1 to ${maxLength} characters`,
    );
  }
  return value;
}

function integer(value: unknown, field: string): number {
  if (typeof value === "bigint" && value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(value);
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new FrameError(field, `Invalid ${field}: must be a non-negative safe integer`);
  }
  return value;
}

function bytesOf(value: unknown, field: string, maxLength: number): Uint8Array {
  if (!(value instanceof Uint8Array) || value.byteLength > maxLength) {
    throw new FrameError(field, `Invalid ${field}: must be binary of at most ${maxLength} bytes`);
  }
  return value;
}
