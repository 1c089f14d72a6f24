/**
 * Softmax cross-entropy against target distributions, the per-field loss of
 * GenTRX (taos.md §6.1): one-hot targets for the order type, ordinal-soft
 * targets (a Gaussian over neighbouring bins) for the ordinal fields.
 *
 * @module
 */

/**
 * loss = mean over rows of −Σ_v t_v·log softmax(z)_v. `targets` is [rows, vocab];
 * `probs` (the softmax) is returned for the backward pass.
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  targets: Float32Array,
  rows: number,
  vocab: number,
): { loss: number; probs: Float32Array } {
  const probs = new Float32Array(rows * vocab);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * vocab;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) max = Math.max(max, logits[at + v]);
    let sumExp = 0;
    for (let v = 0; v < vocab; v++) sumExp += Math.exp(logits[at + v] - max);
    const logSumExp = max + Math.log(sumExp);
    for (let v = 0; v < vocab; v++) {
      probs[at + v] = Math.exp(logits[at + v] - logSumExp);
      if (targets[at + v] !== 0) total -= targets[at + v] * (logits[at + v] - logSumExp);
    }
  }
  return { loss: total / rows, probs };
}

/** dLogits = (p·Σ_v t_v − t) / rows, exact also for targets that do not sum to one. */
export function softmaxCrossEntropyBackward(
  probs: Float32Array,
  targets: Float32Array,
  rows: number,
  vocab: number,
): Float32Array {
  const dLogits = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) {
    const at = r * vocab;
    let targetMass = 0;
    for (let v = 0; v < vocab; v++) targetMass += targets[at + v];
    for (let v = 0; v < vocab; v++) {
      dLogits[at + v] = (probs[at + v] * targetMass - targets[at + v]) / rows;
    }
  }
  return dLogits;
}
