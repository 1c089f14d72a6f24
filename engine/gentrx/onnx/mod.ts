/**
 * GenTRX as an ONNX model (ARCHITECTURE.md decision 8): the exporter of the
 * inference forward pass, and the onnxruntime-web logits source that
 * `generateOrders` samples from.
 *
 * @module
 */
export * from "@/engine/gentrx/onnx/export_model.ts";
export * from "@/engine/gentrx/onnx/onnx_logits.ts";
