/**
 * RMSNorm (Zhang & Sennrich 2019), the LLaMA normalisation used before every
 * GenTRX attention and MLP block and in each field head (taos.md §6.1):
 * y = x / rms(x) · weight, rms(x) = sqrt(mean(x²) + eps), per row.
 *
 * @module
 */

/** Normalises each of `rows` rows of length `dim`; returns 1/rms per row for the backward pass. */
export function rmsNorm(
  x: Float32Array,
  weight: Float32Array,
  rows: number,
  dim: number,
  eps: number,
): { y: Float32Array; invRms: Float32Array } {
  const y = new Float32Array(rows * dim);
  const invRms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    let sumSquares = 0;
    for (let j = 0; j < dim; j++) sumSquares += x[offset + j] * x[offset + j];
    const scale = 1 / Math.sqrt(sumSquares / dim + eps);
    invRms[r] = scale;
    for (let j = 0; j < dim; j++) y[offset + j] = x[offset + j] * scale * weight[j];
  }
  return { y, invRms };
}

/**
 * Gradients of RMSNorm. With s = 1/rms and g = dY·weight:
 * dX = s·g − x·s³·mean(g·x), dWeight = Σ_rows dY·x·s.
 */
export function rmsNormBackward(
  x: Float32Array,
  weight: Float32Array,
  invRms: Float32Array,
  dY: Float32Array,
  rows: number,
  dim: number,
): { dX: Float32Array; dWeight: Float32Array } {
  const dX = new Float32Array(rows * dim);
  const dWeight = new Float32Array(dim);
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    const scale = invRms[r];
    let dot = 0;
    for (let j = 0; j < dim; j++) {
      dot += dY[offset + j] * weight[j] * x[offset + j];
      dWeight[j] += dY[offset + j] * x[offset + j] * scale;
    }
    const correction = (scale * scale * scale * dot) / dim;
    for (let j = 0; j < dim; j++) {
      dX[offset + j] = scale * dY[offset + j] * weight[j] - x[offset + j] * correction;
    }
  }
  return { dX, dWeight };
}
