/**
 * Host side of the SwiGLU kernels (swiglu.wgsl, swiglu_backward.wgsl),
 * matching `swiglu`/`swigluBackward` in engine/gentrx/ops/swiglu.ts.
 * WGSL loading is explained in matmul.ts.
 *
 * @module
 */
import forwardCode from "./swiglu.wgsl" with { type: "text" };
import backwardCode from "./swiglu_backward.wgsl" with { type: "text" };
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

const FORWARD: WgslModule = { label: "swiglu.wgsl", code: forwardCode };
const BACKWARD: WgslModule = { label: "swiglu_backward.wgsl", code: backwardCode };

/** Records y = silu(gate)·up over `n` elements. */
export function swigluGpu(
  gpu: GpuContext,
  gate: GPUBuffer,
  up: GPUBuffer,
  y: GPUBuffer,
  n: number,
): void {
  gpu.dispatch({
    module: FORWARD,
    entryPoint: "swiglu",
    inputs: [gate, up],
    outputs: [y],
    u32: [n],
    workgroups: linearWorkgroups(n),
  });
}

/** Records dGate and dUp for y = silu(gate)·up. */
export function swigluBackwardGpu(
  gpu: GpuContext,
  gate: GPUBuffer,
  up: GPUBuffer,
  dY: GPUBuffer,
  grads: { dGate: GPUBuffer; dUp: GPUBuffer },
  n: number,
): void {
  gpu.dispatch({
    module: BACKWARD,
    entryPoint: "swiglu_backward",
    inputs: [gate, up, dY],
    outputs: [grads.dGate, grads.dUp],
    u32: [n],
    workgroups: linearWorkgroups(n),
  });
}
