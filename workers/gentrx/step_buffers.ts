/**
 * Activation and scratch buffers of one GPU training step: created zeroed on
 * demand and destroyed together once the step's work has finished, so a
 * step never reads a previous step's leftovers and memory does not grow
 * from step to step.
 *
 * @module
 */
import type { GpuArray, GpuContext } from "@/workers/gentrx/gpu.ts";

/** Anything holding GPU memory that {@link StepBuffers.release} should free. */
export interface Destroyable {
  destroy(): void;
}

export class StepBuffers {
  readonly gpu: GpuContext;
  #buffers: Destroyable[] = [];

  constructor(gpu: GpuContext) {
    this.gpu = gpu;
  }

  /** A new zero-filled buffer of `elements` f32 values that lives until {@link release}. */
  take(elements: number, label: string): GPUBuffer {
    const buffer = this.gpu.createBuffer(elements, label);
    this.#buffers.push(buffer);
    return buffer;
  }

  /** A new buffer holding a copy of `data` (batch inputs) that lives until {@link release}. */
  upload(data: GpuArray, label: string): GPUBuffer {
    return this.adopt(this.gpu.upload(data, label));
  }

  /** Makes {@link release} destroy `resource` too; returns it. */
  adopt<T extends Destroyable>(resource: T): T {
    this.#buffers.push(resource);
    return resource;
  }

  /** Destroys every buffer taken; call only after the work using them has been flushed. */
  release(): void {
    for (const buffer of this.#buffers) buffer.destroy();
    this.#buffers = [];
  }
}
