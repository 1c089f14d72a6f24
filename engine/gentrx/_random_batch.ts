/**
 * Seeded random batches for tests and benchmarks: valid token ids for every
 * field, mid deltas near zero and conditioning in the tokenizer's ranges.
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { GenTrxConfig } from "@/engine/gentrx/config.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { conditionSize, type Field, FIELDS, fieldSizes } from "@/engine/gentrx/tokenizer.ts";

/** Mid deltas of a random batch stay within this many ticks of zero. */
const MAX_RANDOM_MID_DELTA_TICKS = 3;

export function randomBatch(
  config: GenTrxConfig,
  batch: number,
  seqLen: number,
  seed: number,
): ModelBatch {
  const random = new SeededRandom(seed);
  const rows = batch * seqLen;
  const sizes = fieldSizes(config.tokenizer);
  const ids = (field: Field) =>
    Int32Array.from({ length: rows }, () => random.integer(0, sizes[field]));
  const inputs = Object.fromEntries(FIELDS.map((field) => [field, ids(field)])) as Record<
    Field,
    Int32Array
  >;
  const targets = Object.fromEntries(FIELDS.map((field) => [field, ids(field)])) as Record<
    Field,
    Int32Array
  >;
  const range = config.tokenizer.midDeltaRangeTicks;
  const midDeltaIds = Int32Array.from(
    { length: rows },
    () => range + random.integer(-MAX_RANDOM_MID_DELTA_TICKS, MAX_RANDOM_MID_DELTA_TICKS + 1),
  );
  const conditions = Float32Array.from(
    { length: rows * conditionSize(config.tokenizer) },
    () => random.uniform(),
  );
  return { batch, seqLen, inputs, midDeltaIds, conditions, targets };
}
