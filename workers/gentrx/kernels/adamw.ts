/**
 * Host side of the AdamW kernel (adamw.wgsl), matching `adamwStep` in
 * engine/gentrx/ops/adamw.ts: the bias corrections and decay come from its
 * `adamwStepFactors`, in float64 once per step, and are passed as uniforms.
 * WGSL loading is explained in matmul.ts.
 *
 * @module
 */
import code from "./adamw.wgsl" with { type: "text" };
import { type AdamWOptions, adamwStepFactors } from "@/engine/gentrx/ops/adamw.ts";
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
  const { correction1, correction2, decay } = adamwStepFactors(step, options);
  const { lr, beta1, beta2, eps } = options;
  gpu.dispatch({
    module: MODULE,
    entryPoint: "adamw",
    inputs: [state.grads],
    outputs: [state.params, state.m, state.v],
    u32: [n],
    f32: [lr, beta1, beta2, eps, decay, correction1, correction2],
    workgroups: linearWorkgroups(n),
  });
}
