/**
 * Causal multi-head scaled dot-product attention (Vaswani et al. 2017), the
 * GenTRX decoder's mixing step (taos.md §6.1: causal, 8 heads). Queries, keys,
 * values and the output are laid out [batch, seq, heads, headDim]; the
 * softmax probabilities are kept as [batch, heads, seq, seq] (zero above the
 * diagonal) for the backward pass.
 *
 * @module
 */

/** out_i = Σ_{j≤i} softmax_j(q_i·k_j / sqrt(headDim)) · v_j, per batch item and head. */
export function causalAttention(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  batch: number,
  seqLen: number,
  heads: number,
  headDim: number,
): { out: Float32Array; probs: Float32Array } {
  const out = new Float32Array(q.length);
  const probs = new Float32Array(batch * heads * seqLen * seqLen);
  const scale = 1 / Math.sqrt(headDim);
  const rowStride = heads * headDim;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const base = b * seqLen * rowStride + h * headDim;
      for (let i = 0; i < seqLen; i++) {
        const probRow = ((b * heads + h) * seqLen + i) * seqLen;
        const qAt = base + i * rowStride;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kAt = base + j * rowStride;
          let score = 0;
          for (let d = 0; d < headDim; d++) score += q[qAt + d] * k[kAt + d];
          score *= scale;
          probs[probRow + j] = score;
          if (score > max) max = score;
        }
        let total = 0;
        for (let j = 0; j <= i; j++) {
          const weight = Math.exp(probs[probRow + j] - max);
          probs[probRow + j] = weight;
          total += weight;
        }
        for (let j = 0; j <= i; j++) {
          const p = probs[probRow + j] / total;
          probs[probRow + j] = p;
          const vAt = base + j * rowStride;
          for (let d = 0; d < headDim; d++) out[qAt + d] += p * v[vAt + d];
        }
      }
    }
  }
  return { out, probs };
}

/**
 * Gradients of causal attention. With dP_ij = dOut_i·v_j and the softmax
 * Jacobian dS_ij = P_ij (dP_ij − Σ_l P_il dP_il):
 * dV_j = Σ_i P_ij dOut_i, dQ_i = scale Σ_j dS_ij k_j, dK_j = scale Σ_i dS_ij q_i.
 */
export function causalAttentionBackward(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: Float32Array,
  dOut: Float32Array,
  batch: number,
  seqLen: number,
  heads: number,
  headDim: number,
): { dQ: Float32Array; dK: Float32Array; dV: Float32Array } {
  const dQ = new Float32Array(q.length);
  const dK = new Float32Array(k.length);
  const dV = new Float32Array(v.length);
  const dProbs = new Float32Array(seqLen);
  const scale = 1 / Math.sqrt(headDim);
  const rowStride = heads * headDim;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const base = b * seqLen * rowStride + h * headDim;
      for (let i = 0; i < seqLen; i++) {
        const probRow = ((b * heads + h) * seqLen + i) * seqLen;
        const iAt = base + i * rowStride;
        let weightedSum = 0;
        for (let j = 0; j <= i; j++) {
          const jAt = base + j * rowStride;
          const p = probs[probRow + j];
          let dp = 0;
          for (let d = 0; d < headDim; d++) {
            dp += dOut[iAt + d] * v[jAt + d];
            dV[jAt + d] += p * dOut[iAt + d];
          }
          dProbs[j] = dp;
          weightedSum += p * dp;
        }
        for (let j = 0; j <= i; j++) {
          const jAt = base + j * rowStride;
          const dScore = probs[probRow + j] * (dProbs[j] - weightedSum) * scale;
          for (let d = 0; d < headDim; d++) {
            dQ[iAt + d] += dScore * k[jAt + d];
            dK[jAt + d] += dScore * q[iAt + d];
          }
        }
      }
    }
  }
  return { dQ, dK, dV };
}
