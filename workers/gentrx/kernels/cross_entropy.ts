/**
 * Host side of the softmax cross-entropy kernels (cross_entropy.wgsl,
 * cross_entropy_backward.wgsl), matching `softmaxCrossEntropy` and
 * `softmaxCrossEntropyBackward` in engine/gentrx/ops/cross_entropy.ts. The
 * mean loss stays on the GPU in a one-element buffer, so a training step
 * reads back one number. WGSL loading is explained in matmul.ts.
 *
 * @module
 */
import forwardCode from "./cross_entropy.wgsl" with { type: "text" };
import backwardCode from "./cross_entropy_backward.wgsl" with { type: "text" };
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

const FORWARD: WgslModule = { label: "cross_entropy.wgsl", code: forwardCode };
const BACKWARD: WgslModule = { label: "cross_entropy_backward.wgsl", code: backwardCode };

/** Where the forward pass writes: probs [rows×vocab], rowLoss [rows] (scratch) and loss [1]. */
export interface CrossEntropyOutputs {
  probs: GPUBuffer;
  rowLoss: GPUBuffer;
  loss: GPUBuffer;
}

/** Records the softmax of `logits` and the mean cross-entropy against `targets` [rows×vocab]. */
export function softmaxCrossEntropyGpu(
  gpu: GpuContext,
  logits: GPUBuffer,
  targets: GPUBuffer,
  outputs: CrossEntropyOutputs,
  rows: number,
  vocab: number,
): void {
  const launch = {
    module: FORWARD,
    inputs: [logits, targets],
    outputs: [outputs.probs, outputs.rowLoss, outputs.loss],
    u32: [rows, vocab],
  };
  gpu.dispatch({ ...launch, entryPoint: "row_loss", workgroups: linearWorkgroups(rows) });
  gpu.dispatch({ ...launch, entryPoint: "mean_loss", workgroups: [1] });
}

/** Records dLogits [rows×vocab] of the mean loss. */
export function softmaxCrossEntropyBackwardGpu(
  gpu: GpuContext,
  probs: GPUBuffer,
  targets: GPUBuffer,
  dLogits: GPUBuffer,
  rows: number,
  vocab: number,
): void {
  gpu.dispatch({
    module: BACKWARD,
    entryPoint: "cross_entropy_backward",
    inputs: [probs, targets],
    outputs: [dLogits],
    u32: [rows, vocab],
    workgroups: linearWorkgroups(rows),
  });
}
