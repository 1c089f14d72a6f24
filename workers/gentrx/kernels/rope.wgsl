// Rotary position embedding on [batch, seq, heads, headDim]: the pair
// (2i, 2i+1) of every head at position p rotates by direction·p·base^(−2i/headDim).
// direction = 1 is the forward pass; −1 rotates back, which is the gradient
// because a rotation's transpose is its inverse (host: rope.ts). One
// invocation per pair.

const WORKGROUP_SIZE: u32 = 64u;

struct Shape {
  pairs: u32,
  seqLen: u32,
  heads: u32,
  headDim: u32,
  base: f32,
  direction: f32,
};

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> shape: Shape;

@compute @workgroup_size(WORKGROUP_SIZE)
fn rope(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let pair = gid.x + gid.y * groups.x * WORKGROUP_SIZE;
  if (pair >= shape.pairs) {
    return;
  }
  let pairsPerHead = shape.headDim / 2u;
  let i = pair % pairsPerHead;
  let position = (pair / (pairsPerHead * shape.heads)) % shape.seqLen;
  let angle = f32(position) * pow(shape.base, -2.0 * f32(i) / f32(shape.headDim));
  let cosine = cos(angle);
  let sine = shape.direction * sin(angle);
  let even = x[2u * pair];
  let odd = x[2u * pair + 1u];
  y[2u * pair] = even * cosine - odd * sine;
  y[2u * pair + 1u] = even * sine + odd * cosine;
}
