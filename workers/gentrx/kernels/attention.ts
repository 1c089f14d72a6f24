/**
 * Host side of the causal attention kernels (attention.wgsl forward;
 * attention_backward_query.wgsl then attention_backward_key_value.wgsl
 * backward, two modules so each binds at most the WebGPU default of 8 storage
 * buffers), matching `causalAttention` and
 * `causalAttentionBackward` in engine/gentrx/ops/attention.ts. WGSL loading
 * is explained in matmul.ts.
 *
 * @module
 */
import forwardCode from "./attention.wgsl" with { type: "text" };
import keyValueCode from "./attention_backward_key_value.wgsl" with { type: "text" };
import queryCode from "./attention_backward_query.wgsl" with { type: "text" };
import commonCode from "./attention_common.wgsl" with { type: "text" };
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

/**
 * WGSL has no includes, so each attention module is attention_common.wgsl
 * (the Shape uniform and row indexing all three share) followed by its own
 * file. The label stays the module's own file name: each label still names
 * one fixed source, so the compiled-module cache keyed by it stays correct.
 * Line numbers in compiler messages count from the start of the common part.
 */
function withCommon(label: string, code: string): WgslModule {
  return { label, code: `${commonCode}\n${code}` };
}

const FORWARD = withCommon("attention.wgsl", forwardCode);
const BACKWARD_QUERY = withCommon("attention_backward_query.wgsl", queryCode);
const BACKWARD_KEY_VALUE = withCommon("attention_backward_key_value.wgsl", keyValueCode);

/** Batch size, sequence length, heads and head width of one attention call. */
export interface AttentionShape {
  batch: number;
  seqLen: number;
  heads: number;
  headDim: number;
}

function parameters({ batch, seqLen, heads, headDim }: AttentionShape) {
  return {
    u32: [batch, seqLen, heads, headDim],
    f32: [1 / Math.sqrt(headDim)],
    workgroups: linearWorkgroups(batch * heads * seqLen),
  };
}

/**
 * Records out [batch, seq, heads, headDim] and probs [batch, heads, seq, seq]
 * for q, k, v laid out like out; the scale is 1/sqrt(headDim).
 */
export function causalAttentionGpu(
  gpu: GpuContext,
  q: GPUBuffer,
  k: GPUBuffer,
  v: GPUBuffer,
  outputs: { out: GPUBuffer; probs: GPUBuffer },
  shape: AttentionShape,
): void {
  gpu.dispatch({
    module: FORWARD,
    entryPoint: "attention",
    inputs: [q, k, v],
    outputs: [outputs.out, outputs.probs],
    ...parameters(shape),
  });
}

/**
 * Records dQ, dK and dV. `dScores` is scratch the size of probs; it ends up
 * holding the gradient of the pre-softmax scores.
 */
export function causalAttentionBackwardGpu(
  gpu: GpuContext,
  q: GPUBuffer,
  k: GPUBuffer,
  v: GPUBuffer,
  probs: GPUBuffer,
  dOut: GPUBuffer,
  grads: { dQ: GPUBuffer; dK: GPUBuffer; dV: GPUBuffer; dScores: GPUBuffer },
  shape: AttentionShape,
): void {
  gpu.dispatch({
    module: BACKWARD_QUERY,
    entryPoint: "query_grad",
    inputs: [k, v, probs, dOut],
    outputs: [grads.dQ, grads.dScores],
    ...parameters(shape),
  });
  gpu.dispatch({
    module: BACKWARD_KEY_VALUE,
    entryPoint: "key_value_grad",
    inputs: [q, probs, dOut, grads.dScores],
    outputs: [grads.dK, grads.dV],
    ...parameters(shape),
  });
}
