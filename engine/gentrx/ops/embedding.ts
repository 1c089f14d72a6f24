/**
 * Embedding lookup: each GenTRX field token and the mid-delta bucket has its
 * own table, and the looked-up rows are summed into one position
 * (taos.md §6.1; MarS sums its field embeddings the same way).
 *
 * @module
 */

function checkId(id: number, row: number, vocab: number): void {
  if (!(id >= 0 && id < vocab)) {
    throw new RangeError(`Cannot embed row ${row}: token id ${id} is outside [0, ${vocab})`);
  }
}

/** out[r] = table[ids[r]]; table is [vocab, dim], the output [ids.length, dim]. */
export function embedding(
  table: Float32Array,
  ids: Int32Array,
  vocab: number,
  dim: number,
): Float32Array {
  const out = new Float32Array(ids.length * dim);
  for (let r = 0; r < ids.length; r++) {
    checkId(ids[r], r, vocab);
    out.set(table.subarray(ids[r] * dim, (ids[r] + 1) * dim), r * dim);
  }
  return out;
}

/** dTable [vocab, dim]: each output row's gradient added to the row it was read from. */
export function embeddingBackward(
  ids: Int32Array,
  dOut: Float32Array,
  vocab: number,
  dim: number,
): Float32Array {
  const dTable = new Float32Array(vocab * dim);
  for (let r = 0; r < ids.length; r++) {
    checkId(ids[r], r, vocab);
    const row = ids[r] * dim;
    for (let j = 0; j < dim; j++) dTable[row + j] += dOut[r * dim + j];
  }
  return dTable;
}
