/**
 * Shared set-up for the kernel tests: one WebGPU context per test file, a test wrapper that reports GPU tests as ignored where no adapter
 * exists (never as passed), and a finite-difference check of backward
 * kernels that runs the forward kernel on the GPU.
 *
 * @module
 */
import { assertAllClose, type Tolerance } from "@/engine/gentrx/ops/_gradient_check.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { type GpuContext, tryRequestGpuContext } from "@/workers/gentrx/gpu.ts";

/** The test module's GPU, or null on machines with no WebGPU adapter. */
export const testGpu: GpuContext | null = await tryRequestGpuContext();

// `deno test` runs each test file in its own isolate of one process and fires
// "unload" when the file is done. Destroying its device there keeps one device
// alive at a time; with one left per file, the process sometimes aborted at
// exit with heap corruption inside the Vulkan driver (about 1 run in 15).
globalThis.addEventListener("unload", () => testGpu?.device.destroy());

/** A test definition for `Deno.test`, kept free of Deno types so this file type-checks for the browser. */
export interface GpuTestDefinition {
  name: string;
  ignore: boolean;
  fn: () => Promise<void>;
}

/**
 * A test that needs the GPU, for `Deno.test(gpuTest(…))`; it is reported
 * ignored where there is no adapter.
 */
export function gpuTest(name: string, fn: (gpu: GpuContext) => Promise<void>): GpuTestDefinition {
  return { name, ignore: testGpu === null, fn: () => fn(testGpu!) };
}

/** Random directions probed per input by {@link assertDirectionalGradient}. */
const DIRECTIONS = 3;
/** Central-difference step: large enough that f32 forward rounding stays small beside it. */
const STEP = 1e-2;

/**
 * Checks a backward kernel's gradient of `loss` with respect to `input`
 * along a few seeded random directions u:
 * (loss(x + h·u) − loss(x − h·u)) / 2h ≈ Σ gradient·u. `loss` receives the
 * perturbed input (it should run the forward kernel on the GPU); probing
 * directions instead of every element keeps GPU round trips few.
 */
export async function assertDirectionalGradient(
  loss: (input: Float32Array) => Promise<number>,
  input: Float32Array,
  gradient: Float32Array,
  tolerance: Tolerance,
  label: string,
  seed = 1,
): Promise<void> {
  const random = new SeededRandom(seed);
  const numeric: number[] = [];
  const analytic: number[] = [];
  for (let d = 0; d < DIRECTIONS; d++) {
    const direction = random.normals(input.length, 1);
    const shifted = (sign: number) => input.map((value, i) => value + sign * STEP * direction[i]);
    numeric.push(((await loss(shifted(1))) - (await loss(shifted(-1)))) / (2 * STEP));
    let dot = 0;
    for (let i = 0; i < input.length; i++) dot += gradient[i] * direction[i];
    analytic.push(dot);
  }
  assertAllClose(analytic, numeric, tolerance, `${label} along random directions`);
}
