/**
 * Draws training batches from one long run of tokenized rows: each sequence
 * is a window of seqLen + 1 consecutive rows starting at a seeded random
 * row, so a seed fixes the batches of a run (next-order prediction,
 * engine/gentrx/batch.ts).
 *
 * @module
 */
import { makeBatch, type ModelBatch } from "@/engine/gentrx/batch.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import type { TokenizedRow, TokenizerConfig } from "@/engine/gentrx/tokenizer.ts";

export class WindowSampler {
  readonly #rows: readonly TokenizedRow[];
  readonly #tokenizer: TokenizerConfig;
  readonly #batch: number;
  readonly #seqLen: number;
  readonly #random: SeededRandom;

  constructor(
    rows: readonly TokenizedRow[],
    tokenizer: TokenizerConfig,
    shape: { batch: number; seqLen: number; seed: number },
  ) {
    const { batch, seqLen, seed } = shape;
    if (!(Number.isInteger(batch) && batch >= 1)) {
      throw new RangeError(`Cannot sample batches: batch is ${batch}, expected an integer ≥ 1`);
    }
    if (!(Number.isInteger(seqLen) && seqLen >= 1)) {
      throw new RangeError(`Cannot sample batches: seqLen is ${seqLen}, expected an integer ≥ 1`);
    }
    if (rows.length < seqLen + 1) {
      throw new RangeError(
        `Cannot sample batches: ${rows.length} rows, expected at least seqLen + 1 = ${seqLen + 1}`,
      );
    }
    this.#rows = rows;
    this.#tokenizer = tokenizer;
    this.#batch = batch;
    this.#seqLen = seqLen;
    this.#random = new SeededRandom(seed);
  }

  /** The next batch of `batch` windows. */
  next(): ModelBatch {
    const starts = this.#rows.length - this.#seqLen;
    const windows = Array.from({ length: this.#batch }, () => {
      const start = this.#random.integer(0, starts);
      return this.#rows.slice(start, start + this.#seqLen + 1);
    });
    return makeBatch(windows, this.#tokenizer);
  }
}
