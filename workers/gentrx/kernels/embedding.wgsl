// Embedding lookup: out[r] = table[ids[r]], one invocation per output element
// (host: embedding.ts, which checks every id against the vocabulary).

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  elements: u32,
  dim: u32,
};

@group(0) @binding(0) var<storage, read> table: array<f32>;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn embedding(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= shape.elements) {
    return;
  }
  let row = i / shape.dim;
  out[i] = table[u32(ids[row]) * shape.dim + i % shape.dim];
}
