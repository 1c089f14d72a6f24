// RMSNorm per row: y = x·s·weight with s = 1/sqrt(mean(x²) + eps); s is kept
// per row for the backward pass (host: rms_norm.ts). One invocation per row.

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  rows: u32,
  dim: u32,
  eps: f32,
};

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> weight: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> invRms: array<f32>;
@group(0) @binding(4) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn rms_norm(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let row = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (row >= shape.rows) {
    return;
  }
  let at = row * shape.dim;
  var sumSquares = 0.0;
  for (var j = 0u; j < shape.dim; j++) {
    sumSquares += x[at + j] * x[at + j];
  }
  let scale = inverseSqrt(sumSquares / f32(shape.dim) + shape.eps);
  invRms[row] = scale;
  for (var j = 0u; j < shape.dim; j++) {
    y[at + j] = x[at + j] * scale * weight[j];
  }
}
