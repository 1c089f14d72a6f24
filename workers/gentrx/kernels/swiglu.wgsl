// y = silu(gate)·up element-wise, silu(g) = g·sigmoid(g) (host: swiglu.ts).

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  n: u32,
};

@group(0) @binding(0) var<storage, read> gate: array<f32>;
@group(0) @binding(1) var<storage, read> up: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn swiglu(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= shape.n) {
    return;
  }
  let g = gate[i];
  y[i] = g / (1.0 + exp(-g)) * up[i];
}
