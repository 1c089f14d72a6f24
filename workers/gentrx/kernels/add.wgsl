// Element-wise y ← y + α·x (`scaled_add`: residual connections and summed
// gradients) and y ← α·x (`scaled_copy`: weighting a loss gradient), over n
// elements (host: add.ts). The CPU model does the same with `addInPlace`
// (engine/gentrx/_add.ts) and a scaling loop.

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  n: u32,
  alpha: f32,
};

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn scaled_add(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i < shape.n) {
    y[i] += shape.alpha * x[i];
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn scaled_copy(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i < shape.n) {
    y[i] = shape.alpha * x[i];
  }
}
