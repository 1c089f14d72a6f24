/**
 * FiLM conditioning (Perez et al. 2018, "FiLM: Visual Reasoning with a
 * General Conditioning Layer"): y = x·(1 + γ) + β, with γ and β per batch
 * item, shared by its `rowsPerBatch` rows. GenTRX feeds the order book and
 * time of day in this way at chosen layers (taos.md §6.1); the model calls it
 * with one row per "batch item" so every position has its own book state.
 * The 1 + γ form makes γ = β = 0 the identity.
 *
 * @module
 */

/** x is [batch, rowsPerBatch, dim]; gamma and beta are [batch, dim]. */
export function film(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  batch: number,
  rowsPerBatch: number,
  dim: number,
): Float32Array {
  const y = new Float32Array(batch * rowsPerBatch * dim);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rowsPerBatch; r++) {
      const at = (b * rowsPerBatch + r) * dim;
      for (let j = 0; j < dim; j++) {
        y[at + j] = x[at + j] * (1 + gamma[b * dim + j]) + beta[b * dim + j];
      }
    }
  }
  return y;
}

/** dX = dY·(1 + γ), dGamma = Σ_rows dY·x, dBeta = Σ_rows dY. */
export function filmBackward(
  x: Float32Array,
  gamma: Float32Array,
  dY: Float32Array,
  batch: number,
  rowsPerBatch: number,
  dim: number,
): { dX: Float32Array; dGamma: Float32Array; dBeta: Float32Array } {
  const dX = new Float32Array(batch * rowsPerBatch * dim);
  const dGamma = new Float32Array(batch * dim);
  const dBeta = new Float32Array(batch * dim);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rowsPerBatch; r++) {
      const at = (b * rowsPerBatch + r) * dim;
      for (let j = 0; j < dim; j++) {
        dX[at + j] = dY[at + j] * (1 + gamma[b * dim + j]);
        dGamma[b * dim + j] += dY[at + j] * x[at + j];
        dBeta[b * dim + j] += dY[at + j];
      }
    }
  }
  return { dX, dGamma, dBeta };
}
