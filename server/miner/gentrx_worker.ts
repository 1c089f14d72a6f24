/**
 * A headless miner's GenTRX training off the socket's thread: each message
 * is one assignment; the worker reads the pages and the published model
 * from the validator's bucket, trains on the CPU reference with
 * `runMinerWork` (which stops before uploading once the deadline is past),
 * uploads the compressed delta to the miner's bucket and answers with its
 * key and size or the error. Error feedback is kept across rounds, as
 * τaos's miners keep it.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { ErrorFeedback } from "@/engine/gentrx/compression/delta_codec.ts";
import type { GenTrxAssignFrame } from "@/engine/gateway/frames.ts";
import {
  type BucketLocation,
  MAX_LOCATION_CHARS,
  parseBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import { runMinerWork } from "@/engine/gentrx/store/miner_work.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import { openGenTrxStore } from "@/server/gentrx/gentrx_store.ts";

export interface GenTrxWorkerJob {
  assignment: GenTrxAssignFrame;
  bucket: BucketLocation;
  steps: number;
  seqLen: number;
  batchSize: number;
  adamw: AdamWOptions;
}

export type GenTrxWorkerReply =
  | {
    ok: true;
    round: number;
    key: string;
    sizeBytes: number;
    lossBefore: number;
    lossAfter: number;
  }
  | { ok: false; round: number; message: string };

const feedback = new ErrorFeedback();

self.onmessage = async (event: MessageEvent<GenTrxWorkerJob>) => {
  const { assignment, bucket } = event.data;
  try {
    const data = parseBucketLocation(assignment.data, "gentrx_assign.data", {
      maxChars: MAX_LOCATION_CHARS,
      allowFolder: true,
    });
    const result = await runMinerWork(assignment, {
      dataStore: openGenTrxStore(data),
      uploadStore: openGenTrxStore(bucket),
      scope: { network: assignment.network, source: assignment.source },
      aggregatorUid: assignment.aggregatorUid,
      steps: event.data.steps,
      seqLen: event.data.seqLen,
      batchSize: event.data.batchSize,
      adamw: event.data.adamw,
      feedback,
      deadlineMs: assignment.deadlineMs,
    });
    self.postMessage(
      {
        ok: true,
        round: assignment.round,
        key: result.key,
        sizeBytes: result.uploadBytes,
        lossBefore: result.lossBefore,
        lossAfter: result.lossAfter,
      } satisfies GenTrxWorkerReply,
    );
  } catch (error) {
    self.postMessage(
      {
        ok: false,
        round: assignment.round,
        message: (error as Error).message,
      } satisfies GenTrxWorkerReply,
    );
  }
};
