/**
 * The messages between the GradientServer (round_worker_client.ts) and its
 * scoring worker (round_worker.ts): one request at a time, each answered by
 * one reply, in order. Every message carries the protocol version `v`.
 * Bulk data — parameters, page and upload bytes — moves as transferred
 * ArrayBuffers where the sender no longer needs it.
 *
 * @module
 */
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import type { BatchShape, UploadEvaluation } from "@/server/gentrx/round_evaluator.ts";

export const ROUND_WORKER_PROTOCOL = 1;

type V = typeof ROUND_WORKER_PROTOCOL;

/** A tensor by name, as a list so it transfers. */
export type NamedTensor = [name: string, values: Float32Array];

/** Server → worker; RoundEvaluator's calls. `open` comes first, once. */
export type ToRoundWorker =
  | {
    v: V;
    type: "open";
    config: GenTrxConfig;
    parameters: NamedTensor[];
    modelVersion: number;
    batch: BatchShape;
  }
  | { v: V; type: "pages"; pages: { key: string; bytes: Uint8Array }[] }
  | { v: V; type: "base_loss"; pages: string[] }
  | {
    v: V;
    type: "evaluate_upload";
    uid: number;
    bytes: Uint8Array;
    ownPages: string[];
    heldPages: string[];
  }
  | { v: V; type: "propose"; uids: number[]; version: number; heldPages: string[] };

/** Worker → server: one reply per request, or the error that request raised. */
export type FromRoundWorker =
  | { v: V; type: "done" }
  | { v: V; type: "loss"; loss: number }
  | { v: V; type: "upload"; evaluation: UploadEvaluation }
  | { v: V; type: "proposal"; bytes: Uint8Array; heldLoss: number; parameters: NamedTensor[] }
  | { v: V; type: "error"; message: string };
