/**
 * A training batch: tokenized sequences laid out as the model reads them.
 * Position t of a sequence sees row t (its tokens, mid change and book) and
 * is trained to predict row t + 1's tokens, so a sequence of seqLen + 1 rows
 * gives seqLen positions (next-order prediction, taos.md §6.1).
 *
 * @module
 */
import {
  conditionSize,
  type Field,
  FIELDS,
  type TokenizedRow,
  type TokenizerConfig,
} from "@/engine/gentrx/tokenizer.ts";

export interface ModelBatch {
  batch: number;
  seqLen: number;
  /** Per field, the input token of each of the batch·seqLen positions. */
  inputs: Record<Field, Int32Array>;
  midDeltaIds: Int32Array;
  /** [batch·seqLen, conditionSize] FiLM inputs. */
  conditions: Float32Array;
  /** Per field, the token each position must predict. */
  targets: Record<Field, Int32Array>;
}

function perField(size: number): Record<Field, Int32Array> {
  return Object.fromEntries(FIELDS.map((field) => [field, new Int32Array(size)])) as Record<
    Field,
    Int32Array
  >;
}

/** Builds a batch from sequences of equal length (each seqLen + 1 rows). */
export function makeBatch(
  sequences: readonly (readonly TokenizedRow[])[],
  tokenizer: TokenizerConfig,
): ModelBatch {
  const seqLen = (sequences[0]?.length ?? 0) - 1;
  if (seqLen < 1) throw new RangeError("Cannot build a batch: sequences need at least 2 rows");
  const size = sequences.length * seqLen;
  const width = conditionSize(tokenizer);
  const inputs = perField(size);
  const targets = perField(size);
  const midDeltaIds = new Int32Array(size);
  const conditions = new Float32Array(size * width);
  sequences.forEach((rows, b) => {
    if (rows.length !== seqLen + 1) {
      throw new RangeError(
        `Cannot build a batch: sequence ${b} has ${rows.length} rows, expected ${seqLen + 1}`,
      );
    }
    for (let t = 0; t < seqLen; t++) {
      const position = b * seqLen + t;
      for (const field of FIELDS) {
        inputs[field][position] = rows[t].tokens[field];
        targets[field][position] = rows[t + 1].tokens[field];
      }
      midDeltaIds[position] = rows[t].midDeltaId;
      if (rows[t].condition.length !== width) {
        throw new RangeError(
          `Cannot build a batch: row ${t} of sequence ${b} has ${
            rows[t].condition.length
          } conditioning values, expected ${width}`,
        );
      }
      conditions.set(rows[t].condition, position * width);
    }
  });
  return { batch: sequences.length, seqLen, inputs, midDeltaIds, conditions, targets };
}
