/**
 * Host side of the matmul kernel (matmul.wgsl): C = A·B and its gradients on
 * row-major f32 buffers, matching `matmul`/`matmulBackward` in
 * engine/gentrx/ops/matmul.ts.
 *
 * The WGSL is imported as text (`with { type: "text" }`): Deno loads it from
 * the `.wgsl` file beside this one and esbuild inlines it into the browser
 * bundle, so the real `.wgsl` file stays the single source with no build step,
 * no served path and no fetch at run time (Deno 2.9.5 needs no flag for text
 * imports; esbuild 0.28 inlines them; browser_smoke_test.ts runs the bundle
 * in Chromium). tsc learns the import's type from wgsl.d.ts.
 *
 * The kernel blocks 8×8 outputs per invocation over plain f32 arrays. On
 * lavapipe, measured back to back on this (busy) machine at 512²: 4×4 blocks
 * ran as fast as shared/reference/ml.md's vec4-storage 4×4 kernel (0.9 vs
 * 0.87 GFLOP/s), and 8×8 blocks about twice as fast as 4×4 (0.93 vs 0.47);
 * 8×12, 12×8, 8×16 and 16×8 were no faster. Plain f32 arrays allow any shape
 * and the transposed operands the backward pass needs without a transpose
 * kernel.
 *
 * @module
 */
import code from "./matmul.wgsl" with { type: "text" };
import type { GpuContext, WgslModule } from "@/workers/gentrx/gpu.ts";

const MODULE: WgslModule = { label: "matmul.wgsl", code };
/** Outputs per invocation along each axis (`TILE` in the WGSL). */
const TILE = 8;
/** Invocations per workgroup along each axis (`@workgroup_size(8, 8)`). */
const WORKGROUP_SIDE = 8;

/** Which operands are stored transposed: A as [k×m], B as [n×k]. */
export interface Transposes {
  a?: boolean;
  b?: boolean;
}

/** Records C[m×n] = op(A)·op(B) into `c`. */
export function matmulGpu(
  gpu: GpuContext,
  a: GPUBuffer,
  b: GPUBuffer,
  c: GPUBuffer,
  m: number,
  k: number,
  n: number,
  transposes: Transposes = {},
): void {
  const span = TILE * WORKGROUP_SIDE;
  gpu.dispatch({
    module: MODULE,
    entryPoint: "matmul",
    inputs: [a, b],
    outputs: [c],
    u32: [m, k, n],
    constants: {
      TRANSPOSE_A: Number(transposes.a ?? false),
      TRANSPOSE_B: Number(transposes.b ?? false),
    },
    workgroups: [Math.ceil(n / span), Math.ceil(m / span)],
  });
}

/** Records dA = dC·Bᵀ [m×k] and dB = Aᵀ·dC [k×n] for C = A·B. */
export function matmulBackwardGpu(
  gpu: GpuContext,
  a: GPUBuffer,
  b: GPUBuffer,
  dC: GPUBuffer,
  grads: { dA: GPUBuffer; dB: GPUBuffer },
  m: number,
  k: number,
  n: number,
): void {
  matmulGpu(gpu, dC, b, grads.dA, m, n, k, { b: true });
  matmulGpu(gpu, a, dC, grads.dB, k, m, n, { a: true });
}
