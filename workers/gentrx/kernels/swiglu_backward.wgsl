// Gradients of y = silu(gate)·up: dGate = dY·up·σ(g)(1 + g(1 − σ(g))) and
// dUp = dY·silu(g), element-wise (host: swiglu.ts).

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  n: u32,
};

@group(0) @binding(0) var<storage, read> gate: array<f32>;
@group(0) @binding(1) var<storage, read> up: array<f32>;
@group(0) @binding(2) var<storage, read> dY: array<f32>;
@group(0) @binding(3) var<storage, read_write> dGate: array<f32>;
@group(0) @binding(4) var<storage, read_write> dUp: array<f32>;
@group(0) @binding(5) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn swiglu_backward(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= shape.n) {
    return;
  }
  let g = gate[i];
  let s = 1.0 / (1.0 + exp(-g));
  dGate[i] = dY[i] * up[i] * s * (1.0 + g * (1.0 - s));
  dUp[i] = dY[i] * g * s;
}
