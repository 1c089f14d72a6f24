/**
 * GenTRX, the order-flow model miners train (taos.md §6; ARCHITECTURE.md
 * decision 8): tokenizer, model, CPU trainer and checkpoint format. The ops
 * the model is built from, and that the WebGPU kernels are checked against,
 * are in `@/engine/gentrx/ops/mod.ts`.
 *
 * @module
 */
export * from "@/engine/gentrx/batch.ts";
export * from "@/engine/gentrx/checkpoint.ts";
export * from "@/engine/gentrx/config.ts";
export * from "@/engine/gentrx/exchange_replay.ts";
export * from "@/engine/gentrx/generate.ts";
export * from "@/engine/gentrx/generate_logits.ts";
export * from "@/engine/gentrx/generate_sampling.ts";
export * from "@/engine/gentrx/loss.ts";
export * from "@/engine/gentrx/model.ts";
export * from "@/engine/gentrx/order_flow.ts";
export * from "@/engine/gentrx/parameters.ts";
export * from "@/engine/gentrx/tokenizer.ts";
export * from "@/engine/gentrx/trainer.ts";
