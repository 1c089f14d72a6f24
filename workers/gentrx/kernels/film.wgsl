// FiLM: y = x·(1 + γ) + β with x [batch, rowsPerBatch, dim] and γ, β
// [batch, dim] shared by a batch item's rows (host: film.ts). One invocation
// per element.

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  elements: u32,
  rowsPerBatch: u32,
  dim: u32,
};

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn film(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= shape.elements) {
    return;
  }
  let item = i / (shape.rowsPerBatch * shape.dim);
  let condition = item * shape.dim + i % shape.dim;
  y[i] = x[i] * (1.0 + gamma[condition]) + beta[condition];
}
