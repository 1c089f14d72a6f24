/**
 * Host side of the RoPE kernel (rope.wgsl), matching `rope`/`ropeBackward`
 * in engine/gentrx/ops/rope.ts; both directions share the one kernel.
 * WGSL loading is explained in matmul.ts.
 *
 * @module
 */
import code from "./rope.wgsl" with { type: "text" };
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

const MODULE: WgslModule = { label: "rope.wgsl", code };

function rotate(
  gpu: GpuContext,
  x: GPUBuffer,
  y: GPUBuffer,
  shape: { batch: number; seqLen: number; heads: number; headDim: number; base: number },
  direction: 1 | -1,
): void {
  const { batch, seqLen, heads, headDim, base } = shape;
  if (headDim % 2 !== 0) {
    throw new RangeError(`Cannot apply RoPE: head dimension ${headDim} is odd`);
  }
  const pairs = (batch * seqLen * heads * headDim) / 2;
  gpu.dispatch({
    module: MODULE,
    entryPoint: "rope",
    inputs: [x],
    outputs: [y],
    u32: [pairs, seqLen, heads, headDim],
    f32: [base, direction],
    workgroups: linearWorkgroups(pairs),
  });
}

/** Records y = RoPE(x) for x laid out [batch, seq, heads, headDim]. */
export function ropeGpu(
  gpu: GpuContext,
  x: GPUBuffer,
  y: GPUBuffer,
  batch: number,
  seqLen: number,
  heads: number,
  headDim: number,
  base: number,
): void {
  rotate(gpu, x, y, { batch, seqLen, heads, headDim, base }, 1);
}

/** Records dX, which rotates dY back by the same angles. */
export function ropeBackwardGpu(
  gpu: GpuContext,
  dY: GPUBuffer,
  dX: GPUBuffer,
  batch: number,
  seqLen: number,
  heads: number,
  headDim: number,
  base: number,
): void {
  rotate(gpu, dY, dX, { batch, seqLen, heads, headDim, base }, -1);
}
