import { assertAllClose } from "@/engine/gentrx/ops/_gradient_check.ts";
import {
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
} from "@/engine/gentrx/ops/cross_entropy.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import type { GpuContext } from "@/workers/gentrx/gpu.ts";
import { assertDirectionalGradient, gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import {
  softmaxCrossEntropyBackwardGpu,
  softmaxCrossEntropyGpu,
} from "@/workers/gentrx/kernels/cross_entropy.ts";

const [ROWS, VOCAB] = [67, 100];
const tolerance = { atol: 1e-5, rtol: 1e-4 };

/** Logits and soft targets: each row a normalised random mix, like ordinal soft-CE. */
function inputs(seed: number) {
  const random = new SeededRandom(seed);
  const logits = random.normals(ROWS * VOCAB, 3);
  const targets = Float32Array.from({ length: ROWS * VOCAB }, () => random.uniform());
  for (let r = 0; r < ROWS; r++) {
    const row = targets.subarray(r * VOCAB, (r + 1) * VOCAB);
    const mass = row.reduce((sum, t) => sum + t, 0);
    row.forEach((t, v) => row[v] = t / mass);
  }
  return { logits, targets };
}

function outputs(gpu: GpuContext) {
  return {
    probs: gpu.createBuffer(ROWS * VOCAB),
    rowLoss: gpu.createBuffer(ROWS),
    loss: gpu.createBuffer(1),
  };
}

Deno.test(gpuTest("softmaxCrossEntropyGpu matches the CPU loss and probabilities", async (gpu) => {
  const { logits, targets } = inputs(71);
  const out = outputs(gpu);
  softmaxCrossEntropyGpu(gpu, gpu.upload(logits), gpu.upload(targets), out, ROWS, VOCAB);
  const expected = softmaxCrossEntropy(logits, targets, ROWS, VOCAB);
  assertAllClose(await gpu.readF32(out.loss, 1), [expected.loss], tolerance, "loss");
  assertAllClose(await gpu.readF32(out.probs, ROWS * VOCAB), expected.probs, tolerance, "probs");
}));

Deno.test(gpuTest(
  "softmaxCrossEntropyBackwardGpu matches the CPU gradient and finite differences",
  async (gpu) => {
    const { logits, targets } = inputs(72);
    const { probs } = softmaxCrossEntropy(logits, targets, ROWS, VOCAB);
    const dLogits = gpu.createBuffer(ROWS * VOCAB);
    const targetBuffer = gpu.upload(targets);
    softmaxCrossEntropyBackwardGpu(gpu, gpu.upload(probs), targetBuffer, dLogits, ROWS, VOCAB);
    const gpuDLogits = await gpu.readF32(dLogits, ROWS * VOCAB);
    const expected = softmaxCrossEntropyBackward(probs, targets, ROWS, VOCAB);
    assertAllClose(gpuDLogits, expected, { atol: 1e-7, rtol: 1e-4 }, "dLogits");

    const out = outputs(gpu);
    const loss = async (z: Float32Array) => {
      softmaxCrossEntropyGpu(gpu, gpu.upload(z), targetBuffer, out, ROWS, VOCAB);
      return (await gpu.readF32(out.loss, 1))[0];
    };
    await assertDirectionalGradient(
      loss,
      logits,
      gpuDLogits,
      { atol: 2e-3, rtol: 1e-2 },
      "dLogits",
    );
  },
));
