// First half of the causal attention gradient (host: attention.ts). With
// dP_ij = dOut_i·v_j and dS_ij = P_ij (dP_ij − Σ_l P_il dP_il)·scale, one
// invocation per (batch item, head, query i) writes the row dS_i· into the
// dScores scratch ([batch, heads, seq, seq]) and dQ_i = Σ_{j≤i} dS_ij k_j.
// attention_backward_key_value.wgsl then sums down the columns of dScores.
// WORKGROUP_SIZE, Shape, headRow and rowStart come from attention_common.wgsl,
// which attention.ts prepends.

@group(0) @binding(0) var<storage, read> k: array<f32>;
@group(0) @binding(1) var<storage, read> v: array<f32>;
@group(0) @binding(2) var<storage, read> probs: array<f32>;
@group(0) @binding(3) var<storage, read> dOut: array<f32>;
@group(0) @binding(4) var<storage, read_write> dQ: array<f32>;
@group(0) @binding(5) var<storage, read_write> dScores: array<f32>;
@group(0) @binding(6) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn query_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let row = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (row >= shape.batch * shape.heads * shape.seqLen) {
    return;
  }
  let query = headRow(row, shape);
  let i = query.position;
  let iAt = rowStart(query, i);
  let probRow = row * shape.seqLen;
  var weightedSum = 0.0;
  for (var j = 0u; j <= i; j++) {
    let jAt = rowStart(query, j);
    var dp = 0.0;
    for (var d = 0u; d < shape.headDim; d++) {
      dp += dOut[iAt + d] * v[jAt + d];
    }
    dScores[probRow + j] = dp;
    weightedSum += probs[probRow + j] * dp;
  }
  for (var j = 0u; j <= i; j++) {
    dScores[probRow + j] = probs[probRow + j] * (dScores[probRow + j] - weightedSum) * shape.scale;
  }
  for (var j = i + 1u; j < shape.seqLen; j++) {
    dScores[probRow + j] = 0.0;
  }
  for (var d = 0u; d < shape.headDim; d++) {
    var sum = 0.0;
    for (var j = 0u; j <= i; j++) {
      sum += dScores[probRow + j] * k[rowStart(query, j) + d];
    }
    dQ[iAt + d] = sum;
  }
}
