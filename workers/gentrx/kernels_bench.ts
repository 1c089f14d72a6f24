/**
 * Speed of the GenTRX WebGPU kernels on this machine's adapter (lavapipe on
 * the CI machines), printed as JSON lines for `deno task bench`:
 * - matmul GFLOP/s at 256² and 512², forward and backward, with the ratio to
 *   the best vec4 4×4 figure measured in shared/reference/ml.md §2 (4.4 GFLOP/s
 *   at 512² on lavapipe; that machine was as busy and as noisy as this one);
 * - one causal attention forward + backward at a GenTRX-like shape, and one
 *   full training step of the CI-sized model (TINY_GENTRX_CONFIG), each with
 *   the speed ratio to the plain-TS reference in the same process.
 * Prints nothing and exits 0 when no adapter exists.
 *
 * @module
 */
import { median, report } from "@/engine/bench_report.ts";
import { randomBatch } from "@/engine/gentrx/_random_batch.ts";
import {
  type GenTrxConfig,
  TAOS_GENTRX_CONFIG,
  TINY_GENTRX_CONFIG,
} from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { TAOS_ADAMW_OPTIONS, Trainer } from "@/engine/gentrx/trainer.ts";
import { causalAttention, causalAttentionBackward } from "@/engine/gentrx/ops/attention.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { type GpuContext, tryRequestGpuContext } from "@/workers/gentrx/gpu.ts";
import {
  causalAttentionBackwardGpu,
  causalAttentionGpu,
} from "@/workers/gentrx/kernels/attention.ts";
import { matmulBackwardGpu, matmulGpu } from "@/workers/gentrx/kernels/matmul.ts";
import { GpuTrainer } from "@/workers/gentrx/train_step_gpu.ts";

/** Best vec4 matmul figure on lavapipe in shared/reference/ml.md §2 (512², GFLOP/s). */
const ML_MD_VEC4_GFLOPS = 4.4;
/** Timed runs per figure, after one warm-up run. */
const REPEATS = 5;
const GIGA = 1e9;
const MS_PER_SECOND = 1000;
/** FLOPs of one multiply-add. */
const FLOPS_PER_MULTIPLY_ADD = 2;
/** Attention at the GenTRX head shape (taos.md §6.1: d 288, 8 heads) and a short context. */
const ATTENTION_SHAPE = { batch: 1, seqLen: 128, heads: 8, headDim: 36 };

/** The training-step batch: 2 sequences of 32 orders, TINY_GENTRX_CONFIG's context. */
const TRAIN_BATCH = { batch: 2, seqLen: 32 };

async function benchMatmul(gpu: GpuContext, size: number): Promise<void> {
  const random = new SeededRandom(size);
  const [a, b, dC] = [0, 1, 2].map(() => gpu.upload(random.normals(size * size, 1)));
  const [c, dA, dB] = [0, 1, 2].map(() => gpu.createBuffer(size * size));
  const flops = FLOPS_PER_MULTIPLY_ADD * size ** 3;
  const forward = await medianSeconds(() => {
    matmulGpu(gpu, a, b, c, size, size, size);
    return gpu.flush();
  });
  const backward = await medianSeconds(() => {
    matmulBackwardGpu(gpu, a, b, dC, { dA, dB }, size, size, size);
    return gpu.flush();
  });
  // The backward pass is two matmuls of the forward's size.
  const figures: [string, number][] = [["", flops / forward], ["_backward", 2 * flops / backward]];
  for (const [name, flopsPerSecond] of figures) {
    const value = flopsPerSecond / GIGA;
    report({
      bench: `gentrx.matmul${name}_${size}_gflops_webgpu`,
      value: Number(value.toFixed(3)),
      unit: "GFLOP/s",
      ratio: Number((value / ML_MD_VEC4_GFLOPS).toFixed(3)),
      ratio_to: "ml.md vec4 figure",
    });
  }
}

async function benchAttention(gpu: GpuContext): Promise<void> {
  const { batch, seqLen, heads, headDim } = ATTENTION_SHAPE;
  const size = batch * seqLen * heads * headDim;
  const probsSize = batch * heads * seqLen * seqLen;
  const random = new SeededRandom(7);
  const [q, k, v, dOut] = [0, 1, 2, 3].map(() => random.normals(size, 1));
  const buffers = [q, k, v, dOut].map((data) => gpu.upload(data));
  const forward = { out: gpu.createBuffer(size), probs: gpu.createBuffer(probsSize) };
  const grads = {
    dQ: gpu.createBuffer(size),
    dK: gpu.createBuffer(size),
    dV: gpu.createBuffer(size),
    dScores: gpu.createBuffer(probsSize),
  };
  const gpuSeconds = await medianSeconds(() => {
    causalAttentionGpu(gpu, buffers[0], buffers[1], buffers[2], forward, ATTENTION_SHAPE);
    causalAttentionBackwardGpu(
      gpu,
      buffers[0],
      buffers[1],
      buffers[2],
      forward.probs,
      buffers[3],
      grads,
      ATTENTION_SHAPE,
    );
    return gpu.flush();
  });
  const cpuSeconds = await medianSeconds(() => {
    const { probs } = causalAttention(q, k, v, batch, seqLen, heads, headDim);
    causalAttentionBackward(q, k, v, probs, dOut, batch, seqLen, heads, headDim);
  });
  report({
    bench: "gentrx.attention_fwd_bwd_128x8x36_ms_webgpu",
    value: Number((gpuSeconds * MS_PER_SECOND).toFixed(3)),
    unit: "ms",
    ratio: Number((cpuSeconds / gpuSeconds).toFixed(3)),
    ratio_to: "ts_reference speed (higher is faster)",
  });
}

/** Median seconds of `run` over `repeats` runs, after one warm-up run. */
async function medianSeconds(
  run: () => Promise<unknown> | unknown,
  repeats = REPEATS,
): Promise<number> {
  await run();
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    seconds.push((performance.now() - started) / MS_PER_SECOND);
  }
  return median(seconds);
}

/**
 * Training throughput on WebGPU and on the CPU reference in the same run,
 * for the tiny config and τaos's (one short sequence and one timed step
 * for the 12M-parameter model, so the file stays within a few minutes).
 */
const TRAIN_CASES: {
  name: string;
  config: GenTrxConfig;
  batch: number;
  seqLen: number;
  repeats: number;
}[] = [
  { name: "tiny", config: TINY_GENTRX_CONFIG, ...TRAIN_BATCH, repeats: REPEATS },
  { name: "default", config: TAOS_GENTRX_CONFIG, batch: 1, seqLen: 64, repeats: 1 },
];

async function benchTrainStep(gpu: GpuContext): Promise<void> {
  for (const { name, config, batch: sequences, seqLen, repeats } of TRAIN_CASES) {
    const batch = randomBatch(config, sequences, seqLen, 1);
    const model = () => GenTrxModel.create(config, 1);
    const onGpu = new GpuTrainer(gpu, model(), TAOS_ADAMW_OPTIONS);
    const cpu = new Trainer(model(), TAOS_ADAMW_OPTIONS);
    const gpuSeconds = await medianSeconds(() => onGpu.step(batch), repeats);
    const cpuSeconds = await medianSeconds(() => cpu.step(batch), repeats);
    const tokens = sequences * seqLen;
    report(
      {
        bench: "gentrx.train_tokens_per_s_webgpu",
        value: Math.round(tokens / gpuSeconds),
        unit: "tokens/s",
        ratio: Number((cpuSeconds / gpuSeconds).toFixed(3)),
        ratio_to: "gentrx.train_tokens_per_s_cpu in this run",
        config: name,
      } as Parameters<typeof report>[0] & { config: string },
    );
  }
}

if (import.meta.main) {
  const gpu = await tryRequestGpuContext();
  if (gpu === null) {
    console.error("No WebGPU adapter: GenTRX kernel benchmarks skipped");
  } else {
    await benchMatmul(gpu, 256);
    await benchMatmul(gpu, 512);
    await benchAttention(gpu);
    await benchTrainStep(gpu);
  }
}
