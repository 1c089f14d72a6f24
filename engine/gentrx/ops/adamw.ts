/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization"),
 * the optimiser of GenTRX pretraining and of each miner's local steps
 * (taos.md §6.1, §6.3). Weight decay shrinks the parameters directly instead
 * of entering the gradient, as in PyTorch's `torch.optim.AdamW`.
 *
 * @module
 */

export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** The scalars one AdamW step applies to every parameter, in float64. */
export interface AdamWStepFactors {
  /** Bias correction of the first moment, 1 − β₁ᵗ. */
  correction1: number;
  /** Bias correction of the second moment, 1 − β₂ᵗ. */
  correction2: number;
  /** Decoupled weight decay multiplier, 1 − lr·weightDecay. */
  decay: number;
}

/**
 * Checks `step` (counting from 1) and computes the scalars of that step. The
 * CPU step and the WGSL kernel's host (workers/gentrx/kernels/adamw.ts) both
 * call this, so they refuse the same steps and use the same float64 values.
 */
export function adamwStepFactors(step: number, options: AdamWOptions): AdamWStepFactors {
  if (!(Number.isInteger(step) && step >= 1)) {
    throw new RangeError(`Cannot take AdamW step ${step}: steps count from 1`);
  }
  const { lr, beta1, beta2, weightDecay } = options;
  return {
    correction1: 1 - Math.pow(beta1, step),
    correction2: 1 - Math.pow(beta2, step),
    decay: 1 - lr * weightDecay,
  };
}

/**
 * One AdamW step in place on `params` and its moments `m` and `v`. `step`
 * counts from 1 and drives the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
 */
export function adamwStep(
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  step: number,
  options: AdamWOptions,
): void {
  const { correction1, correction2, decay } = adamwStepFactors(step, options);
  const { lr, beta1, beta2, eps } = options;
  for (let i = 0; i < params.length; i++) {
    const g = grads[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    const update = m[i] / correction1 / (Math.sqrt(v[i] / correction2) + eps);
    params[i] = params[i] * decay - lr * update;
  }
}
