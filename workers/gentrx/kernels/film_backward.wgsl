// Gradients of FiLM (host: film.ts): dX = dY·(1 + γ) per element
// (`input_grad`), and dGamma = Σ_rows dY·x, dBeta = Σ_rows dY per
// (batch item, column) (`condition_grad`, summing rows in order instead of
// using float atomics).

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  batch: u32,
  rowsPerBatch: u32,
  dim: u32,
};

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;
@group(0) @binding(4) var<storage, read_write> dGamma: array<f32>;
@group(0) @binding(5) var<storage, read_write> dBeta: array<f32>;
@group(0) @binding(6) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn input_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= shape.batch * shape.rowsPerBatch * shape.dim) {
    return;
  }
  let item = i / (shape.rowsPerBatch * shape.dim);
  dX[i] = dY[i] * (1.0 + gamma[item * shape.dim + i % shape.dim]);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn condition_grad(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let condition = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (condition >= shape.batch * shape.dim) {
    return;
  }
  let item = condition / shape.dim;
  let column = condition % shape.dim;
  var gammaSum = 0.0;
  var betaSum = 0.0;
  for (var row = 0u; row < shape.rowsPerBatch; row++) {
    let at = (item * shape.rowsPerBatch + row) * shape.dim + column;
    gammaSum += dY[at] * x[at];
    betaSum += dY[at];
  }
  dGamma[condition] = gammaSum;
  dBeta[condition] = betaSum;
}
