// C[m×n] = op(A)·op(B) on row-major f32, where op transposes an operand
// stored the other way round: A is [m×k] (or [k×m] with TRANSPOSE_A) and B is
// [k×n] (or [n×k] with TRANSPOSE_B). The backward pass uses the transposed
// forms: dA = dC·Bᵀ and dB = Aᵀ·dC (host: matmul.ts).
//
// Register tiling: each invocation accumulates an 8×8 block of C in four
// mat4x4 registers (rows 0–3 / 4–7 × columns 0–3 / 4–7), loading 8 values of
// A and 8 of B per step of k for 64 multiply-adds; an 8×8 workgroup covers a
// 64×64 tile. Edge blocks clamp their loads into range and skip out-of-range
// stores, so any m, k, n work. Named accumulators and constant indices keep
// the block in registers: an indexed array of accumulators ran 1.5× slower on
// lavapipe.

const TILE: u32 = 8u;

struct Shape {
  m: u32,
  k: u32,
  n: u32,
};

override TRANSPOSE_A: bool = false;
override TRANSPOSE_B: bool = false;

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> shape: Shape;

// Column i of the result is u[i]·v: row i of a 4×4 block of C.
fn outer(u: vec4<f32>, v: vec4<f32>) -> mat4x4<f32> {
  return mat4x4<f32>(u.x * v, u.y * v, u.z * v, u.w * v);
}

fn loadA(at: vec4<u32>) -> vec4<f32> {
  return vec4<f32>(a[at.x], a[at.y], a[at.z], a[at.w]);
}

fn loadB(at: vec4<u32>) -> vec4<f32> {
  return vec4<f32>(b[at.x], b[at.y], b[at.z], b[at.w]);
}

// Stores the four values of C from (row, col) on, skipping those outside C.
fn store(row: u32, col: u32, values: vec4<f32>) {
  if (row >= shape.m) {
    return;
  }
  for (var j = 0u; j < 4u; j++) {
    if (col + j < shape.n) {
      c[row * shape.n + col + j] = values[j];
    }
  }
}

@compute @workgroup_size(8, 8)
fn matmul(@builtin(global_invocation_id) gid: vec3<u32>) {
  let col0 = gid.x * TILE;
  let row0 = gid.y * TILE;
  if (col0 >= shape.n || row0 >= shape.m) {
    return;
  }
  let lanes = vec4<u32>(0u, 1u, 2u, 3u);
  let lastRow = vec4<u32>(shape.m - 1u);
  let lastCol = vec4<u32>(shape.n - 1u);
  let rowsTop = min(vec4<u32>(row0) + lanes, lastRow);
  let rowsBottom = min(vec4<u32>(row0 + 4u) + lanes, lastRow);
  let colsLow = min(vec4<u32>(col0) + lanes, lastCol);
  let colsHigh = min(vec4<u32>(col0 + 4u) + lanes, lastCol);
  // Offsets of the A and B values at k = 0, and their step along k.
  var aTop = rowsTop * shape.k;
  var aBottom = rowsBottom * shape.k;
  var aStep = 1u;
  if (TRANSPOSE_A) {
    aTop = rowsTop;
    aBottom = rowsBottom;
    aStep = shape.m;
  }
  var bLow = colsLow;
  var bHigh = colsHigh;
  var bStep = shape.n;
  if (TRANSPOSE_B) {
    bLow = colsLow * shape.k;
    bHigh = colsHigh * shape.k;
    bStep = 1u;
  }
  var topLow = mat4x4<f32>();
  var topHigh = mat4x4<f32>();
  var bottomLow = mat4x4<f32>();
  var bottomHigh = mat4x4<f32>();
  for (var p = 0u; p < shape.k; p++) {
    let top = loadA(aTop);
    let bottom = loadA(aBottom);
    let low = loadB(bLow);
    let high = loadB(bHigh);
    topLow += outer(top, low);
    topHigh += outer(top, high);
    bottomLow += outer(bottom, low);
    bottomHigh += outer(bottom, high);
    aTop += vec4<u32>(aStep);
    aBottom += vec4<u32>(aStep);
    bLow += vec4<u32>(bStep);
    bHigh += vec4<u32>(bStep);
  }
  store(row0, col0, topLow[0]);
  store(row0, col0 + 4u, topHigh[0]);
  store(row0 + 1u, col0, topLow[1]);
  store(row0 + 1u, col0 + 4u, topHigh[1]);
  store(row0 + 2u, col0, topLow[2]);
  store(row0 + 2u, col0 + 4u, topHigh[2]);
  store(row0 + 3u, col0, topLow[3]);
  store(row0 + 3u, col0 + 4u, topHigh[3]);
  store(row0 + 4u, col0, bottomLow[0]);
  store(row0 + 4u, col0 + 4u, bottomHigh[0]);
  store(row0 + 5u, col0, bottomLow[1]);
  store(row0 + 5u, col0 + 4u, bottomHigh[1]);
  store(row0 + 6u, col0, bottomLow[2]);
  store(row0 + 6u, col0 + 4u, bottomHigh[2]);
  store(row0 + 7u, col0, bottomLow[3]);
  store(row0 + 7u, col0 + 4u, bottomHigh[3]);
}
