/**
 * Dense matrix product on row-major float32, the CPU reference for the
 * `matmul` WGSL kernel and the workhorse of every GenTRX linear layer
 * (weights are stored [in, out], so a layer is `matmul(x, w, rows, in, out)`).
 *
 * Rows of A are taken four at a time so that each row of B read from memory
 * serves four output rows: about twice the speed of a one-row loop on the
 * target machine (ml.md §4, "i-k-j, 4 rows of A at once").
 *
 * @module
 */

/** Rows of A (or dC) handled together; see the module doc. */
const ROW_BLOCK = 4;

/** C[m×n] = A[m×k]·B[k×n]. */
export function matmul(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i += ROW_BLOCK) {
    if (i + ROW_BLOCK > m) {
      for (let row = i; row < m; row++) {
        const c0 = c.subarray(row * n, (row + 1) * n);
        for (let p = 0; p < k; p++) {
          const a0 = a[row * k + p];
          const bRow = p * n;
          for (let j = 0; j < n; j++) c0[j] += a0 * b[bRow + j];
        }
      }
      break;
    }
    const c0 = c.subarray(i * n, (i + 1) * n);
    const c1 = c.subarray((i + 1) * n, (i + 2) * n);
    const c2 = c.subarray((i + 2) * n, (i + 3) * n);
    const c3 = c.subarray((i + 3) * n, (i + 4) * n);
    for (let p = 0; p < k; p++) {
      const a0 = a[i * k + p];
      const a1 = a[(i + 1) * k + p];
      const a2 = a[(i + 2) * k + p];
      const a3 = a[(i + 3) * k + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) {
        const bValue = b[bRow + j];
        c0[j] += a0 * bValue;
        c1[j] += a1 * bValue;
        c2[j] += a2 * bValue;
        c3[j] += a3 * bValue;
      }
    }
  }
  return c;
}

/** Gradients of C = A·B: dA = dC·Bᵀ [m×k] and dB = Aᵀ·dC [k×n]. */
export function matmulBackward(
  a: Float32Array,
  b: Float32Array,
  dC: Float32Array,
  m: number,
  k: number,
  n: number,
): { dA: Float32Array; dB: Float32Array } {
  return { dA: gradientOfA(b, dC, m, k, n), dB: gradientOfB(a, dC, m, k, n) };
}

/** dA[i, p] = dC[i, :]·B[p, :], four rows of dC per pass over B. */
function gradientOfA(
  b: Float32Array,
  dC: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const dA = new Float32Array(m * k);
  for (let i = 0; i < m; i += ROW_BLOCK) {
    if (i + ROW_BLOCK > m) {
      for (let row = i; row < m; row++) {
        for (let p = 0; p < k; p++) {
          let sum = 0;
          for (let j = 0; j < n; j++) sum += dC[row * n + j] * b[p * n + j];
          dA[row * k + p] = sum;
        }
      }
      break;
    }
    const d0 = i * n;
    const d1 = d0 + n;
    const d2 = d1 + n;
    const d3 = d2 + n;
    for (let p = 0; p < k; p++) {
      const bRow = p * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < n; j++) {
        const bValue = b[bRow + j];
        s0 += dC[d0 + j] * bValue;
        s1 += dC[d1 + j] * bValue;
        s2 += dC[d2 + j] * bValue;
        s3 += dC[d3 + j] * bValue;
      }
      dA[i * k + p] = s0;
      dA[(i + 1) * k + p] = s1;
      dA[(i + 2) * k + p] = s2;
      dA[(i + 3) * k + p] = s3;
    }
  }
  return dA;
}

/** dB[p, :] = Σ_i A[i, p]·dC[i, :], four rows of dC per pass over dB. */
function gradientOfB(
  a: Float32Array,
  dC: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const dB = new Float32Array(k * n);
  for (let i = 0; i < m; i += ROW_BLOCK) {
    if (i + ROW_BLOCK > m) {
      for (let row = i; row < m; row++) {
        for (let p = 0; p < k; p++) {
          const a0 = a[row * k + p];
          for (let j = 0; j < n; j++) dB[p * n + j] += a0 * dC[row * n + j];
        }
      }
      break;
    }
    const d0 = i * n;
    const d1 = d0 + n;
    const d2 = d1 + n;
    const d3 = d2 + n;
    for (let p = 0; p < k; p++) {
      const a0 = a[i * k + p];
      const a1 = a[(i + 1) * k + p];
      const a2 = a[(i + 2) * k + p];
      const a3 = a[(i + 3) * k + p];
      const dBRow = p * n;
      for (let j = 0; j < n; j++) {
        dB[dBRow + j] += a0 * dC[d0 + j] + a1 * dC[d1 + j] + a2 * dC[d2 + j] + a3 * dC[d3 + j];
      }
    }
  }
  return dB;
}
