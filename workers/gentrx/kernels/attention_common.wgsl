// Declarations the three causal attention modules share (attention.wgsl,
// attention_backward_query.wgsl, attention_backward_key_value.wgsl). WGSL has
// no includes, so attention.ts prepends this text to each module's code: the
// uniform layout the host writes and the row indexing then have one home
// instead of three copies that must agree.

const WORKGROUP_SIZE: u32 = 64u;

// Written by attention.ts `parameters`: four u32 then the f32 1/sqrt(headDim).
struct Shape {
  batch: u32,
  seqLen: u32,
  heads: u32,
  headDim: u32,
  scale: f32,
};

// Where one (batch item, head, position) row sits in q, k, v, out and their
// gradients, all laid out [batch, seq, heads, headDim]; rowStart gives the
// offset of any position of the same (batch item, head).
struct HeadRow {
  // The sequence position: query i in the forward and query passes, key j in the key/value pass.
  position: u32,
  // Offset of position 0 of this (batch item, head).
  base: u32,
  // Elements from one position to the next: heads·headDim.
  rowStride: u32,
};

// Decodes an invocation's index row = (b·heads + h)·seqLen + position. In the
// forward and query passes it is also the invocation's row of probs and dScores.
fn headRow(row: u32, shape: Shape) -> HeadRow {
  let position = row % shape.seqLen;
  let h = (row / shape.seqLen) % shape.heads;
  let b = row / (shape.seqLen * shape.heads);
  let rowStride = shape.heads * shape.headDim;
  return HeadRow(position, b * shape.seqLen * rowStride + h * shape.headDim, rowStride);
}

// Offset of element 0 of `position` in the (batch item, head) that `head` belongs to.
fn rowStart(head: HeadRow, position: u32) -> u32 {
  return head.base + position * head.rowStride;
}
