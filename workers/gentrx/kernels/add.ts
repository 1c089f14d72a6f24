/**
 * Host side of the element-wise add kernels (add.wgsl), the glue between the
 * other kernels in a training step: residual connections, gradients summed
 * from several consumers, and per-field loss weights. WGSL loading is
 * explained in matmul.ts.
 *
 * @module
 */
import code from "./add.wgsl" with { type: "text" };
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

const MODULE: WgslModule = { label: "add.wgsl", code };

/** Records y ← y + alpha·x over `n` elements (`y` must not be `x`). */
export function addScaledGpu(
  gpu: GpuContext,
  x: GPUBuffer,
  y: GPUBuffer,
  n: number,
  alpha = 1,
): void {
  gpu.dispatch({
    module: MODULE,
    entryPoint: "scaled_add",
    inputs: [x],
    outputs: [y],
    u32: [n],
    f32: [alpha],
    workgroups: linearWorkgroups(n),
  });
}

/** Records y ← alpha·x over `n` elements. */
export function copyScaledGpu(
  gpu: GpuContext,
  x: GPUBuffer,
  y: GPUBuffer,
  n: number,
  alpha: number,
): void {
  gpu.dispatch({
    module: MODULE,
    entryPoint: "scaled_copy",
    inputs: [x],
    outputs: [y],
    u32: [n],
    f32: [alpha],
    workgroups: linearWorkgroups(n),
  });
}
