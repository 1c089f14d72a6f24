// Gradients of RMSNorm (host: rms_norm.ts). With s = 1/rms and g = dY·weight:
// dX = s·g − x·s³·mean(g·x) (one invocation per row, `input_grad`) and
// dWeight = Σ_rows dY·x·s (one invocation per column, `weight_grad`, which
// sums rows in order instead of using float atomics).

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  rows: u32,
  dim: u32,
};

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> weight: array<f32>;
@group(0) @binding(2) var<storage, read> invRms: array<f32>;
@group(0) @binding(3) var<storage, read> dY: array<f32>;
@group(0) @binding(4) var<storage, read_write> dX: array<f32>;
@group(0) @binding(5) var<storage, read_write> dWeight: array<f32>;
@group(0) @binding(6) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn input_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let row = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (row >= shape.rows) {
    return;
  }
  let at = row * shape.dim;
  let scale = invRms[row];
  var dot = 0.0;
  for (var j = 0u; j < shape.dim; j++) {
    dot += dY[at + j] * weight[j] * x[at + j];
  }
  let correction = scale * scale * scale * dot / f32(shape.dim);
  for (var j = 0u; j < shape.dim; j++) {
    dX[at + j] = scale * dY[at + j] * weight[j] - x[at + j] * correction;
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn weight_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let j = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (j >= shape.dim) {
    return;
  }
  var sum = 0.0;
  for (var row = 0u; row < shape.rows; row++) {
    let at = row * shape.dim + j;
    sum += dY[at] * x[at] * invRms[row];
  }
  dWeight[j] = sum;
}
