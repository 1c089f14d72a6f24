/**
 * GenTRX on WebGPU (ARCHITECTURE.md decision 8): the device plumbing, one
 * hand-written WGSL kernel per op of engine/gentrx/ops (forward and
 * backward, each tested against that CPU reference), and a training step
 * that runs the CPU model's step entirely on the GPU.
 *
 * @module
 */
export * from "@/workers/gentrx/gpu.ts";
export * from "@/workers/gentrx/kernels/adamw.ts";
export * from "@/workers/gentrx/kernels/add.ts";
export * from "@/workers/gentrx/kernels/attention.ts";
export * from "@/workers/gentrx/kernels/cross_entropy.ts";
export * from "@/workers/gentrx/kernels/embedding.ts";
export * from "@/workers/gentrx/kernels/film.ts";
export * from "@/workers/gentrx/kernels/matmul.ts";
export * from "@/workers/gentrx/kernels/rms_norm.ts";
export * from "@/workers/gentrx/kernels/rope.ts";
export * from "@/workers/gentrx/kernels/swiglu.ts";
export * from "@/workers/gentrx/train_step_gpu.ts";
