// Gradient of the embedding lookup without float atomics (host:
// embedding.ts): the host groups the output rows by token id (a stable
// counting sort: `rowsById`, with token t's rows at [offsets[t], offsets[t+1])),
// and one invocation per table element (token, column) sums its rows in
// increasing order, the same order as the CPU reference.

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  vocab: u32,
  dim: u32,
};

@group(0) @binding(0) var<storage, read> dOut: array<f32>;
@group(0) @binding(1) var<storage, read> offsets: array<u32>;
@group(0) @binding(2) var<storage, read> rowsById: array<u32>;
@group(0) @binding(3) var<storage, read_write> dTable: array<f32>;
@group(0) @binding(4) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn embedding_backward(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
) {
  let i = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (i >= shape.vocab * shape.dim) {
    return;
  }
  let token = i / shape.dim;
  let column = i % shape.dim;
  var sum = 0.0;
  for (var at = offsets[token]; at < offsets[token + 1u]; at++) {
    sum += dOut[rowsById[at] * shape.dim + column];
  }
  dTable[i] = sum;
}
