import { deepEqual, equal, ok } from "node:assert/strict";
import { decodeCheckpoint, encodeCheckpoint } from "@/engine/gentrx/checkpoint.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { Tokenizer } from "@/engine/gentrx/tokenizer.ts";
import {
  type FromTrainer,
  PROTOCOL_VERSION,
  type ToTrainer,
  type TrainingSettings,
} from "@/workers/protocol.ts";
import { packRows, unpackRows } from "@/workers/train/packed_rows.ts";
import { syntheticOrderFlow } from "@/workers/train/synthetic_order_flow.ts";

const SETTINGS: TrainingSettings = {
  budgetMs: 60_000,
  batch: 2,
  seqLen: 16,
  learningRate: 3e-3,
  seed: 1,
  backend: "cpu",
};
const tokenizer = new Tokenizer(TINY_GENTRX_CONFIG.tokenizer);
const flow = syntheticOrderFlow(400, 3, 30_000);
const tokenized = tokenizer.encode(flow.initialBook, flow.rows);

/** A real module worker running workers/train_worker.ts, with its messages in order. */
function startWorker() {
  const worker = new Worker(new URL("../train_worker.ts", import.meta.url), { type: "module" });
  const received: FromTrainer[] = [];
  const waiters: { test: (m: FromTrainer) => boolean; resolve: (m: FromTrainer) => void }[] = [];
  worker.onmessage = ({ data }: MessageEvent<FromTrainer>) => {
    received.push(data);
    for (const waiter of [...waiters]) {
      if (waiter.test(data)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(data);
      }
    }
  };
  const send = (message: ToTrainer, transfer: Transferable[] = []) =>
    worker.postMessage(message, transfer);
  const next = <T extends FromTrainer["type"]>(type: T) =>
    new Promise<Extract<FromTrainer, { type: T }>>((resolve) => {
      const found = received.find((m) => m.type === type);
      if (found) {
        received.splice(received.indexOf(found), 1);
        resolve(found as Extract<FromTrainer, { type: T }>);
      } else {
        waiters.push({
          test: (m) => m.type === type,
          resolve: (m) => {
            received.splice(received.indexOf(m), 1);
            resolve(m as Extract<FromTrainer, { type: T }>);
          },
        });
      }
    });
  const start = (model: GenTrxModel, settings: TrainingSettings) => {
    const checkpoint = encodeCheckpoint(model).buffer as ArrayBuffer;
    const { packed, transfer } = packRows(tokenized, TINY_GENTRX_CONFIG.tokenizer);
    send({ v: PROTOCOL_VERSION, type: "start", checkpoint, rows: packed, settings }, [
      checkpoint,
      ...transfer,
    ]);
  };
  return { worker, received, send, next, start };
}

Deno.test("packed rows round-trip, and a bad token is named", () => {
  const { packed } = packRows(tokenized.slice(0, 5), TINY_GENTRX_CONFIG.tokenizer);
  deepEqual(unpackRows(packed, TINY_GENTRX_CONFIG.tokenizer), tokenized.slice(0, 5));
  new Int32Array(packed.tokens)[6] = 1000;
  try {
    unpackRows(packed, TINY_GENTRX_CONFIG.tokenizer);
    ok(false, "expected a RangeError");
  } catch (error) {
    equal(
      (error as Error).message,
      "Cannot read training rows: row 1 has price token 1000, expected 0..99",
    );
  }
});

Deno.test("the worker trains a checkpoint on given rows until stopped, and the loss falls", async () => {
  const { worker, next, send, start, received } = startWorker();
  try {
    const initial = GenTrxModel.create(TINY_GENTRX_CONFIG, 4);
    start(initial, SETTINGS);
    const started = await next("started");
    equal(started.backend, "cpu");
    const losses: number[] = [];
    while (losses.length < 25) {
      const { progress } = await next("progress");
      equal(progress.step, losses.length + 1);
      ok(progress.tokensPerS > 0);
      losses.push(progress.loss);
    }
    send({ v: PROTOCOL_VERSION, type: "stop" });
    const finished = await next("finished");
    equal(finished.reason, "stopped");
    ok(finished.steps >= losses.length);
    const early = (losses[0] + losses[1] + losses[2]) / 3;
    const late = (losses[22] + losses[23] + losses[24]) / 3;
    ok(late < 0.8 * early, `loss ${early} → ${late}`);

    send({ v: PROTOCOL_VERSION, type: "checkpoint" });
    const { checkpoint, steps } = await next("checkpoint");
    equal(steps, finished.steps);
    const trained = decodeCheckpoint(new Uint8Array(checkpoint));
    deepEqual(trained.config, initial.config);
    ok(
      trained.parameters.get("head.type.weight")![0] !==
        initial.parameters.get("head.type.weight")![0],
    );
    ok(!received.some((m) => m.type === "error"), JSON.stringify(received));
  } finally {
    send({ v: PROTOCOL_VERSION, type: "close" });
    worker.terminate();
  }
});

Deno.test("the worker ends a run when its time budget is spent", async () => {
  const { worker, next, start } = startWorker();
  try {
    start(GenTrxModel.create(TINY_GENTRX_CONFIG, 5), { ...SETTINGS, budgetMs: 300 });
    const finished = await next("finished");
    equal(finished.reason, "budget");
    ok(finished.steps >= 1);
  } finally {
    worker.terminate();
  }
});

Deno.test("the worker stops after maxSteps, before its budget (a GenTRX round's fixed work)", async () => {
  const { worker, next, start } = startWorker();
  try {
    start(GenTrxModel.create(TINY_GENTRX_CONFIG, 5), {
      ...SETTINGS,
      budgetMs: 60_000,
      maxSteps: 3,
    });
    const finished = await next("finished");
    equal(finished.reason, "steps");
    equal(finished.steps, 3);
  } finally {
    worker.terminate();
  }
});

Deno.test("the worker names bad messages and settings instead of training", async () => {
  const { worker, next, send, start } = startWorker();
  try {
    worker.postMessage({ v: 99, type: "stop" });
    equal((await next("error")).message, "Cannot read message: protocol version 99, expected 1");
    start(GenTrxModel.create(TINY_GENTRX_CONFIG, 5), { ...SETTINGS, seqLen: 64 });
    equal(
      (await next("error")).message,
      "Invalid training settings: seqLen is 64, the model's context is 32",
    );
    send({ v: PROTOCOL_VERSION, type: "checkpoint" });
    equal(
      (await next("error")).message,
      'Cannot send a checkpoint: no model is loaded (send "start" first)',
    );
    const broken = new ArrayBuffer(8);
    send({
      v: PROTOCOL_VERSION,
      type: "start",
      checkpoint: broken,
      rows: packRows([], TINY_GENTRX_CONFIG.tokenizer).packed,
      settings: SETTINGS,
    });
    equal(
      (await next("error")).message,
      "Cannot load checkpoint: file is 8 bytes, shorter than the 16-byte fixed header",
    );
  } finally {
    worker.terminate();
  }
});

/** Whether this runtime has a WebGPU adapter (lavapipe in Deno when mesa-vulkan-drivers is installed). */
const hasWebGpu = (await navigator.gpu?.requestAdapter()) != null;

/** The backend a run took and its first `count` losses, from a fresh worker. */
async function firstLosses(backend: TrainingSettings["backend"], count: number) {
  const { worker, next, send, start } = startWorker();
  try {
    start(GenTrxModel.create(TINY_GENTRX_CONFIG, 6), { ...SETTINGS, backend });
    const started = await next("started");
    const losses: number[] = [];
    while (losses.length < count) losses.push((await next("progress")).progress.loss);
    send({ v: PROTOCOL_VERSION, type: "stop" });
    await next("finished");
    return { backend: started.backend, losses };
  } finally {
    worker.terminate();
  }
}

Deno.test({
  name: "with an adapter, auto trains on WebGPU with the CPU's losses",
  ignore: !hasWebGpu,
  async fn() {
    const steps = 12;
    const gpu = await firstLosses("auto", steps);
    const cpu = await firstLosses("cpu", steps);
    equal(gpu.backend, "webgpu");
    // The same model, windows and AdamW settings: the two paths differ only by float32 rounding.
    gpu.losses.forEach((loss, i) => {
      ok(
        Math.abs(loss - cpu.losses[i]) <= 1e-3 * cpu.losses[i],
        `step ${i + 1}: ${loss} vs ${cpu.losses[i]}`,
      );
    });
    ok(
      gpu.losses[steps - 1] < 0.8 * gpu.losses[0],
      `loss ${gpu.losses[0]} → ${gpu.losses[steps - 1]}`,
    );
  },
});
