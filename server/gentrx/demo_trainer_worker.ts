/**
 * The demo trainers' work off the validator's thread: each message is one
 * assignment; the worker trains it on the CPU reference, uploads the
 * compressed delta and answers with the upload's size or the error. Error
 * feedback is kept per UID across rounds, as a miner keeps it.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { ErrorFeedback } from "@/engine/gentrx/compression/delta_codec.ts";
import type { DataKeyScope } from "@/engine/gentrx/store/data_keys.ts";
import { type GenTrxAssignment, runMinerWork } from "@/engine/gentrx/store/miner_work.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import { type GenTrxSettings } from "@/server/gentrx/gentrx_config.ts";
import { openGenTrxStore } from "@/server/gentrx/gentrx_store.ts";

export interface DemoTrainerJob {
  assignment: GenTrxAssignment;
  store: GenTrxSettings["store"];
  scope: DataKeyScope;
  aggregatorUid: number;
  steps: number;
  seqLen: number;
  batchSize: number;
  adamw: AdamWOptions;
}

export type DemoTrainerReply =
  | {
    ok: true;
    uid: number;
    round: number;
    uploadBytes: number;
    lossBefore: number;
    lossAfter: number;
  }
  | { ok: false; uid: number; round: number; message: string };

const feedback = new Map<number, ErrorFeedback>();

self.onmessage = async (event: MessageEvent<DemoTrainerJob>) => {
  const job = event.data;
  const { uid, round } = job.assignment;
  try {
    const store = openGenTrxStore(job.store);
    const uidFeedback = feedback.get(uid) ?? new ErrorFeedback();
    feedback.set(uid, uidFeedback);
    const result = await runMinerWork(job.assignment, {
      dataStore: store,
      uploadStore: store,
      scope: job.scope,
      aggregatorUid: job.aggregatorUid,
      steps: job.steps,
      seqLen: job.seqLen,
      batchSize: job.batchSize,
      adamw: job.adamw,
      feedback: uidFeedback,
    });
    self.postMessage(
      {
        ok: true,
        uid,
        round,
        uploadBytes: result.uploadBytes,
        lossBefore: result.lossBefore,
        lossAfter: result.lossAfter,
      } satisfies DemoTrainerReply,
    );
  } catch (error) {
    self.postMessage(
      { ok: false, uid, round, message: (error as Error).message } satisfies DemoTrainerReply,
    );
  }
};
