// Causal multi-head attention (host: attention.ts). q, k, v and out are
// [batch, seq, heads, headDim]; probs is [batch, heads, seq, seq], zero above
// the diagonal. One invocation per (batch item, head, query position i):
// scores q_i·k_j·scale for j ≤ i, a max-subtracted softmax written to its
// probs row, then out_i = Σ_j p_ij·v_j. WORKGROUP_SIZE, Shape, headRow and
// rowStart come from attention_common.wgsl, which attention.ts prepends.

// The lowest finite f32 (exactly, in hex: Tint rejects decimals that round): where the running
// maximum score starts.
const LOWEST_F32: f32 = -0x1.fffffep+127f;

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<storage, read_write> probs: array<f32>;
@group(0) @binding(5) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn attention(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let row = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (row >= shape.batch * shape.heads * shape.seqLen) {
    return;
  }
  let query = headRow(row, shape);
  let i = query.position;
  let qAt = rowStart(query, i);
  let probRow = row * shape.seqLen;
  var maxScore = LOWEST_F32;
  for (var j = 0u; j <= i; j++) {
    let kAt = rowStart(query, j);
    var score = 0.0;
    for (var d = 0u; d < shape.headDim; d++) {
      score += q[qAt + d] * k[kAt + d];
    }
    score *= shape.scale;
    probs[probRow + j] = score;
    maxScore = max(maxScore, score);
  }
  var total = 0.0;
  for (var j = 0u; j <= i; j++) {
    let weight = exp(probs[probRow + j] - maxScore);
    probs[probRow + j] = weight;
    total += weight;
  }
  for (var j = 0u; j <= i; j++) {
    probs[probRow + j] /= total;
  }
  for (var j = i + 1u; j < shape.seqLen; j++) {
    probs[probRow + j] = 0.0;
  }
  for (var d = 0u; d < shape.headDim; d++) {
    var sum = 0.0;
    for (var j = 0u; j <= i; j++) {
      sum += probs[probRow + j] * v[rowStart(query, j) + d];
    }
    out[qAt + d] = sum;
  }
}
