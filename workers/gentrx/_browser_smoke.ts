/**
 * The page side of the Chromium smoke test (browser_smoke_test.ts): two
 * training steps of the CI-sized model on the browser's WebGPU adapter
 * (SwiftShader behind Chromium's Dawn and Tint, where Deno uses wgpu and
 * Naga) next to the CPU trainer. Two steps run almost every kernel, in both
 * directions, from the same esbuild bundle the server ships.
 *
 * @module
 */
import { randomBatch } from "@/engine/gentrx/_random_batch.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { TAOS_ADAMW_OPTIONS, Trainer } from "@/engine/gentrx/trainer.ts";
import { requestGpuContext } from "@/workers/gentrx/gpu.ts";
import { GpuTrainer } from "@/workers/gentrx/train_step_gpu.ts";

/** Steps compared; each runs the whole forward and backward pass and AdamW. */
const STEPS = 2;
/** Sequences and positions of the smoke batch: small, because SwiftShader is slow. */
const BATCH = { sequences: 1, seqLen: 8 };

export interface SmokeResult {
  adapter: string;
  cpuLosses: number[];
  gpuLosses: number[];
}

/** Trains the same seeded model on the CPU and on WebGPU; returns both losses per step. */
export async function runSmoke(): Promise<SmokeResult> {
  const gpu = await requestGpuContext();
  const batch = randomBatch(TINY_GENTRX_CONFIG, BATCH.sequences, BATCH.seqLen, 1);
  const cpu = new Trainer(GenTrxModel.create(TINY_GENTRX_CONFIG, 1), TAOS_ADAMW_OPTIONS);
  const onGpu = new GpuTrainer(gpu, GenTrxModel.create(TINY_GENTRX_CONFIG, 1), TAOS_ADAMW_OPTIONS);
  const cpuLosses: number[] = [];
  const gpuLosses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    cpuLosses.push(cpu.step(batch).total);
    gpuLosses.push((await onGpu.step(batch)).total);
  }
  const info = gpu.device.adapterInfo;
  return {
    adapter: `${info.vendor} ${info.architecture} ${info.description}`,
    cpuLosses,
    gpuLosses,
  };
}
