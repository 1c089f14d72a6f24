/**
 * The GenTRX ops: plain-TypeScript float32 forward and backward passes, the
 * CPU training path and the test oracle of the WGSL kernels
 * (ARCHITECTURE.md decision 8; shared/reference/ml.md recommendation (a)).
 *
 * @module
 */
export * from "@/engine/gentrx/ops/adamw.ts";
export * from "@/engine/gentrx/ops/attention.ts";
export * from "@/engine/gentrx/ops/cross_entropy.ts";
export * from "@/engine/gentrx/ops/embedding.ts";
export * from "@/engine/gentrx/ops/film.ts";
export * from "@/engine/gentrx/ops/matmul.ts";
export * from "@/engine/gentrx/ops/rms_norm.ts";
export * from "@/engine/gentrx/ops/rope.ts";
export * from "@/engine/gentrx/ops/swiglu.ts";
