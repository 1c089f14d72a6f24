/**
 * Where the training worker's steps run. The CPU backend is the plain-TS
 * trainer of engine/gentrx/; the WebGPU backend runs the same step with the
 * WGSL kernels of workers/gentrx/. "auto" prefers WebGPU when the runtime
 * gives an adapter and falls back to the CPU otherwise, so the same worker
 * trains in any browser and in Deno.
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { GenTrxModel, LossBreakdown } from "@/engine/gentrx/model.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import type { Parameters } from "@/engine/gentrx/parameters.ts";
import type { TrainingBackendChoice, TrainingBackendKind } from "@/workers/protocol.ts";
import { CpuBackend } from "@/workers/train/cpu_backend.ts";
import { WebGpuBackend } from "@/workers/train/webgpu_backend.ts";

/** One AdamW step per batch, wherever it runs. */
export interface TrainingBackend {
  readonly kind: TrainingBackendKind;
  /** One step on `batch`; resolves to the loss before the step. */
  step(batch: ModelBatch): Promise<LossBreakdown>;
  /** The current parameters, by name, in the model's order. */
  parameters(): Promise<Parameters>;
  /** Frees what the backend holds (GPU buffers); it cannot step after this. */
  release(): void;
}

/** The backend `choice` names, for `model` trained with `options`. */
export async function createBackend(
  choice: TrainingBackendChoice,
  model: GenTrxModel,
  options: AdamWOptions,
): Promise<TrainingBackend> {
  if (choice === "cpu") return new CpuBackend(model, options);
  const gpu = await WebGpuBackend.tryCreate(model, options);
  if (gpu !== null) return gpu;
  if (choice === "webgpu") {
    throw new Error(
      'Cannot train on the "webgpu" backend: navigator.gpu gives no adapter in this runtime',
    );
  }
  return new CpuBackend(model, options);
}
