/**
 * Host side of the embedding kernels (embedding.wgsl,
 * embedding_backward.wgsl), matching `embedding`/`embeddingBackward` in
 * engine/gentrx/ops/embedding.ts. WGSL loading is explained in matmul.ts.
 *
 * Token ids come from the data pipeline on the CPU, so {@link EmbeddingIds}
 * checks them once, uploads them, and groups the rows by token there (a
 * counting sort, linear in rows + vocabulary): the backward kernel then sums
 * each token's rows directly, with no float atomics and a fixed order.
 *
 * @module
 */
import forwardCode from "./embedding.wgsl" with { type: "text" };
import backwardCode from "./embedding_backward.wgsl" with { type: "text" };
import { type GpuContext, linearWorkgroups, type WgslModule } from "@/workers/gentrx/gpu.ts";

const FORWARD: WgslModule = { label: "embedding.wgsl", code: forwardCode };
const BACKWARD: WgslModule = { label: "embedding_backward.wgsl", code: backwardCode };

/** A batch of token ids on the GPU, with the rows grouped by token for the backward pass. */
export class EmbeddingIds {
  readonly rows: number;
  readonly vocab: number;
  readonly ids: GPUBuffer;
  /** Token t's rows sit at [offsets[t], offsets[t + 1]) of `rowsById`. */
  readonly offsets: GPUBuffer;
  readonly rowsById: GPUBuffer;

  /** Uploads `ids`; throws like the CPU op on an id outside [0, vocab). */
  constructor(gpu: GpuContext, ids: Int32Array, vocab: number) {
    const offsets = new Uint32Array(vocab + 1);
    ids.forEach((id, row) => {
      if (!(id >= 0 && id < vocab)) {
        throw new RangeError(`Cannot embed row ${row}: token id ${id} is outside [0, ${vocab})`);
      }
      offsets[id + 1]++;
    });
    for (let t = 0; t < vocab; t++) offsets[t + 1] += offsets[t];
    const next = offsets.slice(0, vocab);
    const rowsById = new Uint32Array(ids.length);
    ids.forEach((id, row) => rowsById[next[id]++] = row);
    this.rows = ids.length;
    this.vocab = vocab;
    this.ids = gpu.upload(ids, "embedding ids");
    this.offsets = gpu.upload(offsets, "embedding offsets");
    this.rowsById = gpu.upload(rowsById, "embedding rows by id");
  }

  /** Frees the three buffers; call once no recorded work uses them. */
  destroy(): void {
    this.ids.destroy();
    this.offsets.destroy();
    this.rowsById.destroy();
  }
}

/** Records out [rows×dim] = table[ids] for a table [vocab×dim]. */
export function embeddingGpu(
  gpu: GpuContext,
  table: GPUBuffer,
  ids: EmbeddingIds,
  out: GPUBuffer,
  dim: number,
): void {
  const elements = ids.rows * dim;
  gpu.dispatch({
    module: FORWARD,
    entryPoint: "embedding",
    inputs: [table, ids.ids],
    outputs: [out],
    u32: [elements, dim],
    workgroups: linearWorkgroups(elements),
  });
}

/** Records dTable [vocab×dim]: each output row's gradient added to its token's row. */
export function embeddingBackwardGpu(
  gpu: GpuContext,
  ids: EmbeddingIds,
  dOut: GPUBuffer,
  dTable: GPUBuffer,
  dim: number,
): void {
  gpu.dispatch({
    module: BACKWARD,
    entryPoint: "embedding_backward",
    inputs: [dOut, ids.offsets, ids.rowsById],
    outputs: [dTable],
    u32: [ids.vocab, dim],
    workgroups: linearWorkgroups(ids.vocab * dim),
  });
}
