/**
 * Host side of the RMSNorm kernels (rms_norm.wgsl, rms_norm_backward.wgsl),
 * matching `rmsNorm`/`rmsNormBackward` in engine/gentrx/ops/rms_norm.ts.
 * WGSL loading is explained in matmul.ts.
 *
 * @module
 */
import forwardCode from "./rms_norm.wgsl" with { type: "text" };
import backwardCode from "./rms_norm_backward.wgsl" with { type: "text" };
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

const FORWARD: WgslModule = { label: "rms_norm.wgsl", code: forwardCode };
const BACKWARD: WgslModule = { label: "rms_norm_backward.wgsl", code: backwardCode };

/** Records y [rows×dim] and invRms [rows] for RMSNorm of x with `weight` [dim]. */
export function rmsNormGpu(
  gpu: GpuContext,
  x: GPUBuffer,
  weight: GPUBuffer,
  outputs: { y: GPUBuffer; invRms: GPUBuffer },
  rows: number,
  dim: number,
  eps: number,
): void {
  gpu.dispatch({
    module: FORWARD,
    entryPoint: "rms_norm",
    inputs: [x, weight],
    outputs: [outputs.y, outputs.invRms],
    u32: [rows, dim],
    f32: [eps],
    workgroups: linearWorkgroups(rows),
  });
}

/** Records dX [rows×dim] and dWeight [dim] for RMSNorm. */
export function rmsNormBackwardGpu(
  gpu: GpuContext,
  x: GPUBuffer,
  weight: GPUBuffer,
  invRms: GPUBuffer,
  dY: GPUBuffer,
  grads: { dX: GPUBuffer; dWeight: GPUBuffer },
  rows: number,
  dim: number,
): void {
  const launch = {
    module: BACKWARD,
    inputs: [x, weight, invRms, dY],
    outputs: [grads.dX, grads.dWeight],
    u32: [rows, dim],
  };
  gpu.dispatch({ ...launch, entryPoint: "input_grad", workgroups: linearWorkgroups(rows) });
  gpu.dispatch({ ...launch, entryPoint: "weight_grad", workgroups: linearWorkgroups(dim) });
}
