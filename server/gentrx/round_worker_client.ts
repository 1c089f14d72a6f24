/**
 * The GradientServer's side of the scoring worker (round_worker.ts): one
 * worker per round's scoring, opened on the round's base model and closed
 * when the round is scored, so no worker outlives its round and a failed
 * round leaves nothing running. Pages are read through `readPage` and sent
 * once each, before the first call that names them. What the server sends
 * is copied (a store may keep its buffers); the proposal comes back
 * transferred.
 *
 * ```ts
 * const worker = await RoundWorker.open(model, 3, { seqLen: 16, batchSize: 4 }, readPage);
 * try {
 *   const before = await worker.baseLoss(heldPages);
 *   const upload = await worker.evaluateUpload(7, bytes, ownPages, heldPages);
 * } finally {
 *   worker.close();
 * }
 * ```
 *
 * @module
 */
import type { GenTrxModel } from "@/engine/gentrx/model.ts";
import type { BatchShape, Proposal, UploadEvaluation } from "@/server/gentrx/round_evaluator.ts";
import {
  type FromRoundWorker,
  ROUND_WORKER_PROTOCOL,
  type ToRoundWorker,
} from "@/server/gentrx/round_worker_protocol.ts";

type Reply<T extends FromRoundWorker["type"]> = Extract<FromRoundWorker, { type: T }>;

const v = ROUND_WORKER_PROTOCOL;

export class RoundWorker {
  readonly #worker: Worker;
  readonly #readPage: (key: string) => Promise<Uint8Array>;
  readonly #sentPages = new Set<string>();
  #waiting: PromiseWithResolvers<FromRoundWorker> | null = null;
  #closed = false;

  private constructor(worker: Worker, readPage: (key: string) => Promise<Uint8Array>) {
    this.#worker = worker;
    this.#readPage = readPage;
    worker.onmessage = (event: MessageEvent<FromRoundWorker>) => this.#settle(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(new Error(`GenTRX scoring worker failed: ${event.message}`));
    };
    worker.onmessageerror = () =>
      this.#fail(new Error("GenTRX scoring worker sent an unreadable message"));
  }

  /** Starts a worker scoring uploads trained from `base` (version `modelVersion`). */
  static async open(
    base: GenTrxModel,
    modelVersion: number,
    batch: BatchShape,
    readPage: (key: string) => Promise<Uint8Array>,
  ): Promise<RoundWorker> {
    const worker = new Worker(new URL("./round_worker.ts", import.meta.url), { type: "module" });
    const client = new RoundWorker(worker, readPage);
    try {
      await client.#call("done", {
        v,
        type: "open",
        config: base.config,
        parameters: [...base.parameters],
        modelVersion,
        batch: { seqLen: batch.seqLen, batchSize: batch.batchSize },
      });
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** The base model's mean loss on `pages`. */
  async baseLoss(pages: readonly string[]): Promise<number> {
    await this.#sendPages(pages);
    return (await this.#call("loss", { v, type: "base_loss", pages: [...pages] })).loss;
  }

  /** RoundEvaluator.evaluateUpload in the worker. */
  async evaluateUpload(
    uid: number,
    bytes: Uint8Array,
    ownPages: readonly string[],
    heldPages: readonly string[],
  ): Promise<UploadEvaluation> {
    await this.#sendPages([...ownPages, ...heldPages]);
    return (await this.#call("upload", {
      v,
      type: "evaluate_upload",
      uid,
      bytes,
      ownPages: [...ownPages],
      heldPages: [...heldPages],
    })).evaluation;
  }

  /** RoundEvaluator.propose in the worker. */
  async propose(uids: readonly number[], version: number, heldPages: readonly string[]) {
    await this.#sendPages(heldPages);
    const reply = await this.#call("proposal", {
      v,
      type: "propose",
      uids: [...uids],
      version,
      heldPages: [...heldPages],
    });
    const proposal: Proposal = {
      bytes: reply.bytes,
      heldLoss: reply.heldLoss,
      parameters: new Map(reply.parameters),
    };
    return proposal;
  }

  /** Stops the worker; a call still waiting, or made later, fails. */
  close(): void {
    this.#closed = true;
    this.#worker.terminate();
    this.#fail(new Error("GenTRX scoring worker closed"));
  }

  async #sendPages(keys: readonly string[]): Promise<void> {
    const missing = [...new Set(keys)].filter((key) => !this.#sentPages.has(key));
    if (missing.length === 0) return;
    const pages = [];
    for (const key of missing) pages.push({ key, bytes: await this.#readPage(key) });
    await this.#call("done", { v, type: "pages", pages });
    for (const key of missing) this.#sentPages.add(key);
  }

  /** Sends one request and waits for its reply, which must be of type `expected`. */
  async #call<T extends FromRoundWorker["type"]>(
    expected: T,
    message: ToRoundWorker,
  ): Promise<Reply<T>> {
    if (this.#closed) {
      throw new Error(`Cannot send "${message.type}": the scoring worker is closed`);
    }
    if (this.#waiting !== null) {
      throw new Error(`Cannot send "${message.type}" to the scoring worker: a call is waiting`);
    }
    this.#waiting = Promise.withResolvers<FromRoundWorker>();
    this.#worker.postMessage(message);
    const reply = await this.#waiting.promise;
    if (reply.type === "error") throw new Error(reply.message);
    if (reply.type !== expected) {
      throw new Error(`GenTRX scoring worker answered "${message.type}" with "${reply.type}"`);
    }
    return reply as Reply<T>;
  }

  #settle(reply: FromRoundWorker): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.resolve(reply);
  }

  #fail(error: Error): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.reject(error);
  }
}
