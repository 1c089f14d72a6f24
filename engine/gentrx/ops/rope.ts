/**
 * Rotary position embedding (Su et al. 2021, RoFormer), as in the LLaMA
 * backbone of GenTRX (taos.md §6.1). Each head's pairs (2i, 2i+1) at
 * position p rotate by p·base^(−2i/headDim). Layout [batch, seq, heads, headDim].
 *
 * @module
 */

/** The rotary base of LLaMA (`rope_theta`). */
export const LLAMA_ROPE_BASE = 10_000;

/** Rotates every pair by +angle (forward) or −angle (backward, the transpose). */
function rotatePairs(
  x: Float32Array,
  batch: number,
  seqLen: number,
  heads: number,
  headDim: number,
  base: number,
  direction: 1 | -1,
): Float32Array {
  if (headDim % 2 !== 0) {
    throw new RangeError(`Cannot apply RoPE: head dimension ${headDim} is odd`);
  }
  const y = new Float32Array(x.length);
  const pairs = headDim / 2;
  for (let position = 0; position < seqLen; position++) {
    for (let i = 0; i < pairs; i++) {
      const angle = position * Math.pow(base, (-2 * i) / headDim);
      const cos = Math.cos(angle);
      const sin = direction * Math.sin(angle);
      for (let b = 0; b < batch; b++) {
        for (let h = 0; h < heads; h++) {
          const at = ((b * seqLen + position) * heads + h) * headDim + 2 * i;
          const even = x[at];
          const odd = x[at + 1];
          y[at] = even * cos - odd * sin;
          y[at + 1] = even * sin + odd * cos;
        }
      }
    }
  }
  return y;
}

/** Applies RoPE to queries or keys laid out [batch, seq, heads, headDim]. */
export function rope(
  x: Float32Array,
  batch: number,
  seqLen: number,
  heads: number,
  headDim: number,
  base: number,
): Float32Array {
  return rotatePairs(x, batch, seqLen, heads, headDim, base, 1);
}

/** Gradient of RoPE: a rotation is orthogonal, so dX rotates dY back by −angle. */
export function ropeBackward(
  dY: Float32Array,
  batch: number,
  seqLen: number,
  heads: number,
  headDim: number,
  base: number,
): Float32Array {
  return rotatePairs(dY, batch, seqLen, heads, headDim, base, -1);
}
