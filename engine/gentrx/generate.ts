/**
 * Autoregressive order generation with GenTRX (taos.md §6.1: "autoregressive
 * next-order model"): the model reads the latest `contextLength` tokenized
 * events, each field head's logits at the last position give that field's
 * distribution, one token per field is sampled (`generate_sampling.ts`) and
 * the tokenizer decodes the five tokens into a concrete order against the
 * current book. The new event joins the context and the next one is drawn.
 *
 * The logits come from a {@link NextOrderLogits} source, so the same loop
 * runs on the CPU reference (`fieldLogits`) and on an exported ONNX model in
 * onnxruntime-web. One `SeededRandom` drives every draw, so a seed and a
 * source fix the generated orders exactly.
 *
 * What the book does in response to an order is the caller's: τaos closes the
 * loop through a matching engine; by default the book stays as the context
 * left it (open-loop generation).
 *
 * @module
 */
import type { Depth } from "@/engine/book_records.ts";
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { FieldLogits } from "@/engine/gentrx/generate_logits.ts";
import {
  sampleBin,
  type SamplingOptions,
  validateSampling,
} from "@/engine/gentrx/generate_sampling.ts";
import type { OrderFlowOrder, OrderFlowRow } from "@/engine/gentrx/order_flow.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import {
  conditionSize,
  type Field,
  FIELDS,
  fieldSizes,
  type OrderTokens,
  type TokenizedRow,
  type Tokenizer,
} from "@/engine/gentrx/tokenizer.ts";

/** Per-field logits of every position of a one-sequence window; only the last position is read. */
export type NextOrderLogits = (window: ModelBatch) => FieldLogits | Promise<FieldLogits>;

/** The book after `order` is applied to `book` (a matching engine, or the identity). */
export type BookAfterOrder = (order: OrderFlowOrder, book: Depth) => Depth;

/** The market generation starts from: the book before the first event, and the events so far. */
export interface GenerationContext {
  initialBook: Depth;
  /** At least one event, in time order; the latest `contextLength` are what the model reads. */
  rows: readonly OrderFlowRow[];
}

export interface GenerateOptions extends SamplingOptions {
  /** Orders to generate. */
  steps: number;
  seed: number;
  /** Longest window the model reads (its config's `contextLength`). */
  contextLength: number;
  bookAfter?: BookAfterOrder;
}

/** A window of tokenized rows as a one-sequence batch; targets are zero (inference reads none). */
export function windowBatch(rows: readonly TokenizedRow[], tokenizer: Tokenizer): ModelBatch {
  const seqLen = rows.length;
  const width = conditionSize(tokenizer.config);
  const field = (name: Field) => Int32Array.from(rows, (row) => row.tokens[name]);
  const inputs = Object.fromEntries(FIELDS.map((name) => [name, field(name)])) as Record<
    Field,
    Int32Array
  >;
  const targets = Object.fromEntries(
    FIELDS.map((name) => [name, new Int32Array(seqLen)]),
  ) as Record<Field, Int32Array>;
  const conditions = new Float32Array(seqLen * width);
  rows.forEach((row, index) => conditions.set(row.condition, index * width));
  return {
    batch: 1,
    seqLen,
    inputs,
    midDeltaIds: Int32Array.from(rows, (row) => row.midDeltaId),
    conditions,
    targets,
  };
}

/** One token per field from the last position of `logits` (a window of `seqLen` positions). */
export function sampleTokens(
  logits: FieldLogits,
  seqLen: number,
  tokenizer: Tokenizer,
  options: SamplingOptions,
  random: SeededRandom,
): OrderTokens {
  const sizes = fieldSizes(tokenizer.config);
  const tokens = {} as OrderTokens;
  for (const field of FIELDS) {
    const bins = sizes[field];
    if (logits[field].length !== seqLen * bins) {
      throw new RangeError(
        `Cannot sample ${field}: got ${logits[field].length} logits, expected ${seqLen}×${bins}`,
      );
    }
    tokens[field] = sampleBin(logits[field].subarray((seqLen - 1) * bins), options, random);
  }
  return tokens;
}

/** Generates `options.steps` orders after `context`; returns them with the book after each. */
export async function generateOrders(
  logitsOf: NextOrderLogits,
  tokenizer: Tokenizer,
  context: GenerationContext,
  options: GenerateOptions,
): Promise<OrderFlowRow[]> {
  validateSampling(options);
  if (!(Number.isInteger(options.steps) && options.steps >= 0)) {
    throw new RangeError(`Cannot generate: steps is ${options.steps}, expected an integer ≥ 0`);
  }
  if (!(Number.isInteger(options.contextLength) && options.contextLength >= 1)) {
    throw new RangeError(
      `Cannot generate: contextLength is ${options.contextLength}, expected an integer ≥ 1`,
    );
  }
  if (context.rows.length === 0) {
    throw new RangeError("Cannot generate: the context has no events, expected at least 1");
  }
  const random = new SeededRandom(options.seed);
  const history = [...context.rows];
  const generated: OrderFlowRow[] = [];
  for (let step = 0; step < options.steps; step++) {
    // Re-tokenizing the whole history gives every event the tokens, mid
    // change and conditioning the training data would give it.
    const window = tokenizer.encode(context.initialBook, history).slice(-options.contextLength);
    const batch = windowBatch(window, tokenizer);
    const logits = await logitsOf(batch);
    const tokens = sampleTokens(logits, batch.seqLen, tokenizer, options, random);
    const previous = history[history.length - 1];
    const order = tokenizer.decode(
      tokens,
      { book: previous.bookAfter, previousTimestampNs: previous.timestampNs },
      random,
    );
    const row: OrderFlowRow = {
      ...order,
      bookAfter: options.bookAfter?.(order, previous.bookAfter) ?? previous.bookAfter,
    };
    history.push(row);
    generated.push(row);
  }
  return generated;
}
