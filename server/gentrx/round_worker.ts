/**
 * The GenTRX scoring worker: runs a RoundEvaluator (round_evaluator.ts) off
 * the validator's thread, so one round's forward passes — hundreds of
 * milliseconds to seconds on the CPU — never hold up a market step. It only
 * dispatches; failures come back as "error" messages (workers/protocol.ts
 * serveMessages). The proposal's buffers are transferred back.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { RoundEvaluator } from "@/server/gentrx/round_evaluator.ts";
import {
  type FromRoundWorker,
  ROUND_WORKER_PROTOCOL,
  type ToRoundWorker,
} from "@/server/gentrx/round_worker_protocol.ts";
import { serveMessages } from "@/workers/protocol.ts";

const scope = self as unknown as {
  postMessage(message: FromRoundWorker, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ToRoundWorker>) => void): void;
};
const v = ROUND_WORKER_PROTOCOL;
let evaluator: RoundEvaluator | null = null;

serveMessages(scope, v, async (message) => {
  if (message.type === "open") {
    const base = new GenTrxModel(message.config, new Map(message.parameters));
    evaluator = new RoundEvaluator(base, message.modelVersion, message.batch);
    return scope.postMessage({ v, type: "done" });
  }
  if (evaluator === null) throw new RangeError(`Cannot ${message.type}: the worker is not open`);
  switch (message.type) {
    case "pages":
      evaluator.addPages(message.pages);
      return scope.postMessage({ v, type: "done" });
    case "base_loss":
      return scope.postMessage({ v, type: "loss", loss: await evaluator.baseLoss(message.pages) });
    case "evaluate_upload": {
      const { uid, bytes, ownPages, heldPages } = message;
      const evaluation = await evaluator.evaluateUpload(uid, bytes, ownPages, heldPages);
      return scope.postMessage({ v, type: "upload", evaluation });
    }
    case "propose": {
      const proposal = await evaluator.propose(message.uids, message.version, message.heldPages);
      const parameters = [...proposal.parameters];
      return scope.postMessage(
        { v, type: "proposal", bytes: proposal.bytes, heldLoss: proposal.heldLoss, parameters },
        [proposal.bytes.buffer, ...parameters.map(([, values]) => values.buffer)],
      );
    }
  }
});
