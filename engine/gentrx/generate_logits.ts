/**
 * Per-field logits for generation: the model's inference forward pass
 * (`GenTrxModel.logits`), named so generation and the ONNX export can take
 * logits from either the CPU model or an ONNX session.
 *
 * @module
 */
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { GenTrxModel } from "@/engine/gentrx/model.ts";
import type { Field } from "@/engine/gentrx/tokenizer.ts";

/** Per field, logits [positions, bins] (row-major, one row per batch·seqLen position). */
export type FieldLogits = Record<Field, Float32Array>;

/** Every position's per-field logits for `batch` (inputs, mid deltas and conditions). */
export function fieldLogits(model: GenTrxModel, batch: ModelBatch): FieldLogits {
  return model.logits(batch);
}
