/**
 * Host side of the AdamW kernel (adamw.wgsl), matching `adamwStep` in
 * engine/gentrx/ops/adamw.ts: the bias corrections are computed here in
 * float64 once per step and passed as uniforms. WGSL loading is explained in
 * matmul.ts.
 *
 * @module
 */
import code from "./adamw.wgsl" with { type: "text" };
import type { AdamWOptions } from "@/engine/gentrx/ops/adamw.ts";
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

const MODULE: WgslModule = { label: "adamw.wgsl", code };

/** Records one AdamW step on `n` parameters; `params`, `m` and `v` change in place. */
export function adamwStepGpu(
  gpu: GpuContext,
  state: { params: GPUBuffer; grads: GPUBuffer; m: GPUBuffer; v: GPUBuffer },
  n: number,
  step: number,
  options: AdamWOptions,
): void {
  if (!(Number.isInteger(step) && step >= 1)) {
    throw new RangeError(`Cannot take AdamW step ${step}: steps count from 1`);
  }
  const { lr, beta1, beta2, eps, weightDecay } = options;
  gpu.dispatch({
    module: MODULE,
    entryPoint: "adamw",
    inputs: [state.grads],
    outputs: [state.params, state.m, state.v],
    u32: [n],
    f32: [
      lr,
      beta1,
      beta2,
      eps,
      1 - lr * weightDecay,
      1 - Math.pow(beta1, step),
      1 - Math.pow(beta2, step),
    ],
    workgroups: linearWorkgroups(n),
  });
}
