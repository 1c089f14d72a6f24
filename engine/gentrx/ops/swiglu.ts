/**
 * The SwiGLU gate of the LLaMA MLP (Shazeer 2020, "GLU Variants Improve
 * Transformer"): y = silu(gate)·up with silu(g) = g·sigmoid(g), element-wise
 * over `n` values. GenTRX's MLP is down(swiglu(x·Wgate, x·Wup)) (taos.md §6.1).
 *
 * @module
 */

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** y = silu(gate)·up. */
export function swiglu(gate: Float32Array, up: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = gate[i] * sigmoid(gate[i]) * up[i];
  return y;
}

/** dGate = dY·up·σ(g)(1 + g(1 − σ(g))), dUp = dY·silu(g). */
export function swigluBackward(
  gate: Float32Array,
  up: Float32Array,
  dY: Float32Array,
  n: number,
): { dGate: Float32Array; dUp: Float32Array } {
  const dGate = new Float32Array(n);
  const dUp = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = sigmoid(gate[i]);
    dGate[i] = dY[i] * up[i] * s * (1 + gate[i] * (1 - s));
    dUp[i] = dY[i] * gate[i] * s;
  }
  return { dGate, dUp };
}
