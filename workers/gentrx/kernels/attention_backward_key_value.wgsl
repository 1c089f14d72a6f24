// Second half of the causal attention gradient (host: attention.ts), run
// after attention_backward_query.wgsl has filled dScores. One invocation per
// (batch item, head, key j) sums down column j, in the order of i, instead of
// using float atomics: dK_j = Σ_{i≥j} dS_ij q_i and dV_j = Σ_{i≥j} P_ij dOut_i.
// WORKGROUP_SIZE, Shape, headRow and rowStart come from attention_common.wgsl,
// which attention.ts prepends.

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> probs: array<f32>;
@group(0) @binding(2) var<storage, read> dOut: array<f32>;
@group(0) @binding(3) var<storage, read> dScores: array<f32>;
@group(0) @binding(4) var<storage, read_write> dK: array<f32>;
@group(0) @binding(5) var<storage, read_write> dV: array<f32>;
@group(0) @binding(6) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn key_value_grad(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  // column = (b·heads + h)·seqLen + j.
  let column = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (column >= shape.batch * shape.heads * shape.seqLen) {
    return;
  }
  let key = headRow(column, shape);
  let j = key.position;
  let jAt = rowStart(key, j);
  // Row i of this (batch item, head) block of probs and dScores starts at blockStart + i·seqLen.
  let blockStart = (column - j) * shape.seqLen;
  for (var d = 0u; d < shape.headDim; d++) {
    var keySum = 0.0;
    var valueSum = 0.0;
    for (var i = j; i < shape.seqLen; i++) {
      let at = blockStart + i * shape.seqLen + j;
      let iAt = rowStart(key, i) + d;
      keySum += dScores[at] * q[iAt];
      valueSum += probs[at] * dOut[iAt];
    }
    dK[jAt + d] = keySum;
    dV[jAt + d] = valueSum;
  }
}
