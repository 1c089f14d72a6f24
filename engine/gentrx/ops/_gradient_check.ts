/**
 * Test helpers for the GenTRX ops: tolerance comparison of two arrays and a
 * central finite-difference check of an analytic gradient. Each op's test and
 * the WebGPU kernels' tests compare against these with an explicit
 * `{ atol, rtol }` (STYLE.md, "Kernels and numerics").
 *
 * @module
 */

/** Element-wise tolerance: |actual − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/** Throws naming the first element outside `tolerance`. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
  label: string,
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length}, expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const limit = tolerance.atol + tolerance.rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= limit)) {
      throw new Error(`${label}[${i}]: ${actual[i]}, expected ${expected[i]} (limit ${limit})`);
    }
  }
}

/** Σ values·weights in float64: the scalar loss whose gradient is `weights`. */
export function weightedSum(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * weights[i];
  return sum;
}

/** Step of the central difference; large enough for float32 forward passes. */
const DEFAULT_STEP = 1e-2;

/**
 * Checks `analytic` against (loss(x + h) − loss(x − h)) / 2h for every
 * element of `input`, which `loss` must read (it is perturbed in place and
 * restored).
 */
export function assertGradient(
  loss: () => number,
  input: Float32Array,
  analytic: ArrayLike<number>,
  tolerance: Tolerance,
  label: string,
  step = DEFAULT_STEP,
): void {
  const numeric = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const original = input[i];
    input[i] = original + step;
    const above = loss();
    input[i] = original - step;
    const below = loss();
    input[i] = original;
    numeric[i] = (above - below) / (2 * step);
  }
  assertAllClose(analytic, numeric, tolerance, label);
}
