/**
 * Packs tokenized rows into the flat, transferable arrays of `PackedRows`
 * (workers/protocol.ts) and back. Unpacking checks every length and token
 * against the model's tokenizer, because the rows arrive from another
 * thread and a bad id would otherwise fail deep inside an embedding.
 *
 * @module
 */
import {
  conditionSize,
  FIELDS,
  fieldSizes,
  midDeltaVocab,
  type OrderTokens,
  type TokenizedRow,
  type TokenizerConfig,
} from "@/engine/gentrx/tokenizer.ts";
import type { PackedRows } from "@/workers/protocol.ts";

const BYTES_PER_VALUE = 4;

/** The rows as flat arrays, and the buffers to list as transferables. */
export function packRows(
  rows: readonly TokenizedRow[],
  tokenizer: TokenizerConfig,
): { packed: PackedRows; transfer: ArrayBuffer[] } {
  const width = conditionSize(tokenizer);
  const tokens = new Int32Array(rows.length * FIELDS.length);
  const midDeltaIds = new Int32Array(rows.length);
  const conditions = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    FIELDS.forEach((field, f) => tokens[r * FIELDS.length + f] = row.tokens[field]);
    midDeltaIds[r] = row.midDeltaId;
    conditions.set(row.condition, r * width);
  });
  const packed = {
    count: rows.length,
    tokens: tokens.buffer,
    midDeltaIds: midDeltaIds.buffer,
    conditions: conditions.buffer,
  };
  return { packed, transfer: [packed.tokens, packed.midDeltaIds, packed.conditions] };
}

function fail(detail: string): RangeError {
  return new RangeError(`Cannot read training rows: ${detail}`);
}

/** The rows back, or a `RangeError` naming the array or token that does not fit `tokenizer`. */
export function unpackRows(packed: PackedRows, tokenizer: TokenizerConfig): TokenizedRow[] {
  const { count } = packed;
  if (!(Number.isInteger(count) && count >= 0)) {
    throw fail(`count is ${count}, expected an integer ≥ 0`);
  }
  const width = conditionSize(tokenizer);
  const expected = {
    tokens: count * FIELDS.length,
    midDeltaIds: count,
    conditions: count * width,
  };
  for (const [name, values] of Object.entries(expected) as [keyof typeof expected, number][]) {
    const bytes = packed[name]?.byteLength;
    if (bytes !== values * BYTES_PER_VALUE) {
      throw fail(
        `${name} is ${bytes} bytes, expected ${values * BYTES_PER_VALUE} for ${count} rows`,
      );
    }
  }
  const tokens = new Int32Array(packed.tokens);
  const midDeltaIds = new Int32Array(packed.midDeltaIds);
  const conditions = new Float32Array(packed.conditions);
  const sizes = fieldSizes(tokenizer);
  const midDeltaRows = midDeltaVocab(tokenizer);
  return Array.from({ length: count }, (_, r) => {
    const rowTokens = {} as OrderTokens;
    FIELDS.forEach((field, f) => {
      const token = tokens[r * FIELDS.length + f];
      if (!(token >= 0 && token < sizes[field])) {
        throw fail(`row ${r} has ${field} token ${token}, expected 0..${sizes[field] - 1}`);
      }
      rowTokens[field] = token;
    });
    if (!(midDeltaIds[r] >= 0 && midDeltaIds[r] < midDeltaRows)) {
      throw fail(`row ${r} has mid-delta row ${midDeltaIds[r]}, expected 0..${midDeltaRows - 1}`);
    }
    return {
      tokens: rowTokens,
      midDeltaId: midDeltaIds[r],
      condition: conditions.subarray(r * width, (r + 1) * width),
    };
  });
}
