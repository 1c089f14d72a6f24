/**
 * Per-field logits from an exported GenTRX model run by onnxruntime-web: the
 * ONNX counterpart of `fieldLogits`, usable as a `NextOrderLogits` source
 * for `generateOrders`. The runtime module is passed in, because Deno
 * imports it from npm while a page loads it from the server
 * (routes/ort/[file].ts).
 *
 * @module
 */
import type * as Ort from "onnxruntime-web";
import type { ModelBatch } from "@/engine/gentrx/batch.ts";
import type { FieldLogits } from "@/engine/gentrx/generate_logits.ts";
import {
  ONNX_CONDITIONS_INPUT,
  ONNX_LOGITS_OUTPUT,
  ONNX_MID_DELTA_INPUT,
  ONNX_TOKEN_INPUT,
} from "@/engine/gentrx/onnx/export_model.ts";
import { FIELDS } from "@/engine/gentrx/tokenizer.ts";

/** The parts of onnxruntime-web used here. */
export type OrtRuntime = Pick<typeof Ort, "InferenceSession" | "Tensor">;

/** The wasm execution provider: ml.md §3 measured it 5–100× faster than the software GPUs. */
export const ORT_EXECUTION_PROVIDERS = ["wasm"];

export class OnnxFieldLogits {
  readonly #ort: OrtRuntime;
  readonly #session: Ort.InferenceSession;

  private constructor(ort: OrtRuntime, session: Ort.InferenceSession) {
    this.#ort = ort;
    this.#session = session;
  }

  /** Opens an inference session on `.onnx` bytes from `exportOnnx`. */
  static async create(ort: OrtRuntime, onnx: Uint8Array): Promise<OnnxFieldLogits> {
    const session = await ort.InferenceSession.create(onnx, {
      executionProviders: ORT_EXECUTION_PROVIDERS,
    });
    return new OnnxFieldLogits(ort, session);
  }

  /** Every position's per-field logits [batch·seq, bins], as `fieldLogits` returns them. */
  async logits(batch: ModelBatch): Promise<FieldLogits> {
    const dims = [batch.batch, batch.seqLen];
    const feeds: Record<string, Ort.Tensor> = {
      [ONNX_MID_DELTA_INPUT]: new this.#ort.Tensor("int32", batch.midDeltaIds, dims),
      [ONNX_CONDITIONS_INPUT]: new this.#ort.Tensor(
        "float32",
        batch.conditions,
        [...dims, batch.conditions.length / (batch.batch * batch.seqLen)],
      ),
    };
    for (const field of FIELDS) {
      feeds[ONNX_TOKEN_INPUT(field)] = new this.#ort.Tensor("int32", batch.inputs[field], dims);
    }
    const results = await this.#session.run(feeds);
    const logits = {} as FieldLogits;
    for (const field of FIELDS) {
      logits[field] = results[ONNX_LOGITS_OUTPUT(field)].data as Float32Array;
    }
    return logits;
  }

  /** Frees the session's memory in the runtime. */
  release(): Promise<void> {
    return this.#session.release();
  }
}
