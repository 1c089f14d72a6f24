/**
 * A headless miner's GenTRX trainer: runs each assignment in a worker
 * (gentrx_worker.ts) and stops it at the deadline — the worker is
 * terminated and nothing is uploaded — so a slow machine never sends a late
 * gradient (τaos: a missing gradient scores 0, taos.md §6.3). The worker
 * is started as soon as the miner opts in, and again right after a deadline
 * stopped one, so loading its modules never eats into a round's time (on a
 * busy machine that took seconds of a first round).
 *
 * @module
 */
import type { GenTrxAssignFrame } from "@/engine/gateway/frames.ts";
import type { GenTrxTrain } from "@/engine/gentrx/gentrx_responder.ts";
import type { BucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import type { GenTrxWorkerJob, GenTrxWorkerReply } from "@/server/miner/gentrx_worker.ts";

export interface GenTrxTrainerOptions {
  /** The miner's own bucket, where deltas go. */
  bucket: BucketLocation;
  /** Optimiser steps per assignment; default 6 (the tiny model on a CPU). */
  steps?: number;
  seqLen?: number;
  batchSize?: number;
  adamw?: AdamWOptions;
  log?: (line: string) => void;
}

/**
 * Defaults sized for the tiny model on the CPU reference: the validator's
 * scoring batches (gentrx_pool.ts) and a learning rate that shows in six
 * steps (τaos trains at 1e-4 for minutes, taos.md §6.3).
 */
const DEFAULTS = {
  steps: 6,
  seqLen: 16,
  batchSize: 4,
  adamw: { lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
};

export interface GenTrxTrainer {
  train: GenTrxTrain;
  close(): void;
}

export function createGenTrxTrainer(options: GenTrxTrainerOptions): GenTrxTrainer {
  const settings = { ...DEFAULTS, ...options };
  const waiting = new Map<number, (reply: GenTrxWorkerReply) => void>();
  const start = () => {
    const started = new Worker(new URL("./gentrx_worker.ts", import.meta.url), { type: "module" });
    started.onmessage = (event: MessageEvent<GenTrxWorkerReply>) => {
      waiting.get(event.data.round)?.(event.data);
      waiting.delete(event.data.round);
    };
    return started;
  };
  let worker: Worker | null = start();
  let closed = false;
  const train = (assignment: GenTrxAssignFrame) => {
    worker ??= start();
    const { promise, resolve, reject } = Promise.withResolvers<
      { key: string; sizeBytes: number }
    >();
    const timer = setTimeout(() => {
      // Stop the work at the deadline: whatever it was doing, nothing more is uploaded.
      waiting.delete(assignment.round);
      worker?.terminate();
      worker = closed ? null : start();
      for (const fail of waiting.values()) {
        fail({ ok: false, round: -1, message: "the worker was stopped" });
      }
      waiting.clear();
      reject(new RangeError(`Round ${assignment.round} stopped at its deadline`));
    }, Math.max(0, assignment.deadlineMs - Date.now()));
    waiting.set(assignment.round, (reply) => {
      clearTimeout(timer);
      if (reply.ok) {
        settings.log?.(
          `GenTRX round ${reply.round}: loss ${reply.lossBefore.toFixed(4)} → ${
            reply.lossAfter.toFixed(4)
          }, ${reply.sizeBytes} bytes uploaded`,
        );
        resolve({ key: reply.key, sizeBytes: reply.sizeBytes });
      } else reject(new Error(reply.message));
    });
    const job: GenTrxWorkerJob = {
      assignment,
      bucket: settings.bucket,
      steps: settings.steps,
      seqLen: settings.seqLen,
      batchSize: settings.batchSize,
      adamw: settings.adamw,
    };
    worker.postMessage(job);
    return promise;
  };
  return {
    train,
    close() {
      closed = true;
      worker?.terminate();
      worker = null;
    },
  };
}
