/**
 * Orthonormal DCT-II and its inverse (DCT-III) on short chunks, as DeMo and
 * Templar apply per 64-value chunk before top-k (ml.md §5.2). Chunks are at
 * most a few hundred values, so a cached N×N basis matrix is simpler and
 * fast enough: one transform of every chunk of a 12M-parameter delta is
 * about N multiply-adds per value.
 *
 * @module
 */

const bases = new Map<number, Float64Array>();

/** The orthonormal DCT-II basis, row k = frequency k: b[k][n] = c_k cos(π(n + ½)k / N). */
function basis(length: number): Float64Array {
  let matrix = bases.get(length);
  if (matrix === undefined) {
    matrix = new Float64Array(length * length);
    for (let k = 0; k < length; k++) {
      const scale = Math.sqrt((k === 0 ? 1 : 2) / length);
      for (let n = 0; n < length; n++) {
        matrix[k * length + n] = scale * Math.cos((Math.PI * (n + 0.5) * k) / length);
      }
    }
    bases.set(length, matrix);
  }
  return matrix;
}

/** Writes the DCT-II of `input` (any length ≥ 1) into `output` of the same length. */
export function dct(input: ArrayLike<number>, output: Float32Array | Float64Array): void {
  const length = input.length;
  const matrix = basis(length);
  for (let k = 0; k < length; k++) {
    let sum = 0;
    const row = k * length;
    for (let n = 0; n < length; n++) sum += matrix[row + n] * input[n];
    output[k] = sum;
  }
}

/** Writes the inverse of `dct` (the transposed basis) of `input` into `output`. */
export function inverseDct(input: ArrayLike<number>, output: Float32Array | Float64Array): void {
  const length = input.length;
  const matrix = basis(length);
  output.fill(0);
  for (let k = 0; k < length; k++) {
    const coefficient = input[k];
    if (coefficient === 0) continue;
    const row = k * length;
    for (let n = 0; n < length; n++) output[n] += matrix[row + n] * coefficient;
  }
}
