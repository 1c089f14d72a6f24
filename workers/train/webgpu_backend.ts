/**
 * The training worker's WebGPU backend: workers/gentrx/'s `GpuTrainer`,
 * which keeps every tensor, gradient and AdamW moment in GPU buffers and
 * reads back only the losses (ARCHITECTURE.md decision 8).
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { GenTrxModel, LossBreakdown } from "@/engine/gentrx/model.ts";
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import type { Parameters } from "@/engine/gentrx/parameters.ts";
import { type GpuContext, tryRequestGpuContext } from "@/workers/gentrx/gpu.ts";
import { GpuTrainer } from "@/workers/gentrx/train_step_gpu.ts";
import type { TrainingBackend } from "@/workers/train/backend.ts";

export class WebGpuBackend implements TrainingBackend {
  readonly kind = "webgpu";
  readonly #gpu: GpuContext;
  readonly #trainer: GpuTrainer;

  private constructor(gpu: GpuContext, trainer: GpuTrainer) {
    this.#gpu = gpu;
    this.#trainer = trainer;
  }

  /** Uploads `model` to a new WebGPU device, or returns null when there is no adapter. */
  static async tryCreate(
    model: GenTrxModel,
    options: AdamWOptions,
  ): Promise<WebGpuBackend | null> {
    const gpu = await tryRequestGpuContext();
    if (gpu === null) return null;
    return new WebGpuBackend(gpu, new GpuTrainer(gpu, model, options));
  }

  step(batch: ModelBatch): Promise<LossBreakdown> {
    return this.#trainer.step(batch);
  }

  parameters(): Promise<Parameters> {
    return this.#trainer.readParameters();
  }

  release(): void {
    this.#gpu.device.destroy();
  }
}
