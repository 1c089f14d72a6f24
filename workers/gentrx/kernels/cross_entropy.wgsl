// Softmax cross-entropy against target distributions (host: cross_entropy.ts).
// `row_loss`, one invocation per row: probs = softmax(logits) and
// rowLoss = −Σ_v t_v·log p_v, with the max subtracted before exp.
// `mean_loss`, one invocation: loss = Σ rowLoss / rows, summed in row order.

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  rows: u32,
  vocab: u32,
};

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read_write> probs: array<f32>;
@group(0) @binding(3) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;
@group(0) @binding(5) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn row_loss(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let row = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (row >= shape.rows) {
    return;
  }
  let at = row * shape.vocab;
  var maxLogit = logits[at];
  for (var v = 1u; v < shape.vocab; v++) {
    maxLogit = max(maxLogit, logits[at + v]);
  }
  var sumExp = 0.0;
  for (var v = 0u; v < shape.vocab; v++) {
    sumExp += exp(logits[at + v] - maxLogit);
  }
  let logSumExp = maxLogit + log(sumExp);
  var total = 0.0;
  for (var v = 0u; v < shape.vocab; v++) {
    let logProb = logits[at + v] - logSumExp;
    probs[at + v] = exp(logProb);
    total -= targets[at + v] * logProb;
  }
  rowLoss[row] = total;
}

@compute @workgroup_size(1)
fn mean_loss() {
  var total = 0.0;
  for (var row = 0u; row < shape.rows; row++) {
    total += rowLoss[row];
  }
  loss[0] = total / f32(shape.rows);
}
