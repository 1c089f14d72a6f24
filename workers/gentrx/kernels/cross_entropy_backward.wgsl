// Gradient of the mean softmax cross-entropy (host: cross_entropy.ts):
// dLogits = (p·Σ_v t_v − t) / rows, exact also for targets that do not sum to
// one. One invocation per row.

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  rows: u32,
  vocab: u32,
};

@group(0) @binding(0) var<storage, read> probs: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<f32>;
@group(0) @binding(2) var<storage, read_write> dLogits: array<f32>;
@group(0) @binding(3) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn cross_entropy_backward(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let row = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (row >= shape.rows) {
    return;
  }
  let at = row * shape.vocab;
  var targetMass = 0.0;
  for (var v = 0u; v < shape.vocab; v++) {
    targetMass += targets[at + v];
  }
  let rows = f32(shape.rows);
  for (var v = 0u; v < shape.vocab; v++) {
    dLogits[at + v] = (probs[at + v] * targetMass - targets[at + v]) / rows;
  }
}
