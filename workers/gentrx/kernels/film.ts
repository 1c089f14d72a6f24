/**
 * Host side of the FiLM kernels (film.wgsl, film_backward.wgsl), matching
 * `film`/`filmBackward` in engine/gentrx/ops/film.ts. WGSL loading is
 * explained in matmul.ts.
 *
 * @module
 */
import forwardCode from "./film.wgsl" with { type: "text" };
import backwardCode from "./film_backward.wgsl" with { type: "text" };
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

const FORWARD: WgslModule = { label: "film.wgsl", code: forwardCode };
const BACKWARD: WgslModule = { label: "film_backward.wgsl", code: backwardCode };

/** Records y = x·(1 + γ) + β; x is [batch, rowsPerBatch, dim], γ and β [batch, dim]. */
export function filmGpu(
  gpu: GpuContext,
  x: GPUBuffer,
  gamma: GPUBuffer,
  beta: GPUBuffer,
  y: GPUBuffer,
  batch: number,
  rowsPerBatch: number,
  dim: number,
): void {
  const elements = batch * rowsPerBatch * dim;
  gpu.dispatch({
    module: FORWARD,
    entryPoint: "film",
    inputs: [x, gamma, beta],
    outputs: [y],
    u32: [elements, rowsPerBatch, dim],
    workgroups: linearWorkgroups(elements),
  });
}

/** Records dX, dGamma and dBeta for FiLM. */
export function filmBackwardGpu(
  gpu: GpuContext,
  x: GPUBuffer,
  gamma: GPUBuffer,
  dY: GPUBuffer,
  grads: { dX: GPUBuffer; dGamma: GPUBuffer; dBeta: GPUBuffer },
  batch: number,
  rowsPerBatch: number,
  dim: number,
): void {
  const launch = {
    module: BACKWARD,
    inputs: [x, gamma, dY],
    outputs: [grads.dX, grads.dGamma, grads.dBeta],
    u32: [batch, rowsPerBatch, dim],
  };
  const elements = batch * rowsPerBatch * dim;
  gpu.dispatch({ ...launch, entryPoint: "input_grad", workgroups: linearWorkgroups(elements) });
  gpu.dispatch({
    ...launch,
    entryPoint: "condition_grad",
    workgroups: linearWorkgroups(batch * dim),
  });
}
