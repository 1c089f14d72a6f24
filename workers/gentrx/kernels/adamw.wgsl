// One AdamW step in place (Loshchilov & Hutter 2019; host: adamw.ts):
// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p·decay − lr·(m/c₁)/(sqrt(v/c₂) + eps)
// with decay = 1 − lr·weightDecay and the bias corrections c = 1 − βᵗ
// computed on the host. One invocation per parameter.

const WORKGROUP_SIZE: u32 = 64u;

struct Step {
  n: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  decay: f32,
  correction1: f32,
  correction2: f32,
};

@group(0) @binding(0) var<storage, read> grads: array<f32>;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<uniform> step: Step;

@compute @workgroup_size(WORKGROUP_SIZE)
fn adamw(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= step.n) {
    return;
  }
  let g = grads[i];
  let mi = step.beta1 * m[i] + (1.0 - step.beta1) * g;
  let vi = step.beta2 * v[i] + (1.0 - step.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  let update = mi / step.correction1 / (sqrt(vi / step.correction2) + step.eps);
  params[i] = params[i] * step.decay - step.lr * update;
}
