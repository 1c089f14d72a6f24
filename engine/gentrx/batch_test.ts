import { deepEqual, equal, throws } from "node:assert/strict";
import { makeBatch } from "@/engine/gentrx/batch.ts";
import { TAOS_TOKENIZER_CONFIG, type TokenizedRow } from "@/engine/gentrx/tokenizer.ts";

const WIDTH = 2 * TAOS_TOKENIZER_CONFIG.lobLevels + 2;

function row(value: number): TokenizedRow {
  return {
    tokens: {
      type: value % 5,
      price: value,
      volumeInt: value + 1,
      volumeDec: value % 8,
      interval: value + 2,
    },
    midDeltaId: 2000 + value,
    condition: new Float32Array(WIDTH).fill(value),
  };
}

Deno.test("position t reads row t and predicts row t + 1", () => {
  const batch = makeBatch(
    [[row(0), row(1), row(2)], [row(10), row(11), row(12)]],
    TAOS_TOKENIZER_CONFIG,
  );
  equal(batch.batch, 2);
  equal(batch.seqLen, 2);
  deepEqual([...batch.inputs.price], [0, 1, 10, 11]);
  deepEqual([...batch.targets.price], [1, 2, 11, 12]);
  deepEqual([...batch.midDeltaIds], [2000, 2001, 2010, 2011]);
  deepEqual([batch.conditions[0], batch.conditions[WIDTH], batch.conditions[3 * WIDTH]], [
    0,
    1,
    11,
  ]);
});

Deno.test("sequences of different lengths are a clear error", () => {
  throws(
    () => makeBatch([[row(0), row(1), row(2)], [row(0), row(1)]], TAOS_TOKENIZER_CONFIG),
    /Cannot build a batch: sequence 1 has 2 rows, expected 3/,
  );
  throws(() => makeBatch([[row(0)]], TAOS_TOKENIZER_CONFIG), /sequences need at least 2 rows/);
});
