import { assertAllClose, weightedSum } from "@/engine/gentrx/ops/_gradient_check.ts";
import { causalAttention, causalAttentionBackward } from "@/engine/gentrx/ops/attention.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { assertDirectionalGradient, gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import {
  causalAttentionBackwardGpu,
  causalAttentionGpu,
} from "@/workers/gentrx/kernels/attention.ts";

const shape = { batch: 2, seqLen: 19, heads: 3, headDim: 12 };
const { batch, seqLen, heads, headDim } = shape;
const SIZE = batch * seqLen * heads * headDim;
const PROBS = batch * heads * seqLen * seqLen;
const tolerance = { atol: 1e-5, rtol: 1e-4 };

function inputs(seed: number) {
  const random = new SeededRandom(seed);
  return {
    q: random.normals(SIZE, 1),
    k: random.normals(SIZE, 1),
    v: random.normals(SIZE, 1),
    dOut: random.normals(SIZE, 1),
  };
}

Deno.test(gpuTest("causalAttentionGpu matches the CPU attention and probabilities", async (gpu) => {
  const { q, k, v } = inputs(21);
  const out = gpu.createBuffer(SIZE);
  // Stale values above the diagonal must be overwritten with zeros.
  const probs = gpu.upload(new Float32Array(PROBS).fill(1));
  causalAttentionGpu(gpu, gpu.upload(q), gpu.upload(k), gpu.upload(v), { out, probs }, shape);
  const expected = causalAttention(q, k, v, batch, seqLen, heads, headDim);
  assertAllClose(await gpu.readF32(out, SIZE), expected.out, tolerance, "out");
  assertAllClose(await gpu.readF32(probs, PROBS), expected.probs, tolerance, "probs");
}));

Deno.test(gpuTest(
  "causalAttentionBackwardGpu matches the CPU gradients and finite differences",
  async (gpu) => {
    const { q, k, v, dOut } = inputs(22);
    const { probs } = causalAttention(q, k, v, batch, seqLen, heads, headDim);
    const grads = {
      dQ: gpu.createBuffer(SIZE),
      dK: gpu.createBuffer(SIZE),
      dV: gpu.createBuffer(SIZE),
      dScores: gpu.createBuffer(PROBS),
    };
    const buffers = [q, k, v, probs, dOut].map((data) => gpu.upload(data));
    causalAttentionBackwardGpu(
      gpu,
      buffers[0],
      buffers[1],
      buffers[2],
      buffers[3],
      buffers[4],
      grads,
      shape,
    );
    const expected = causalAttentionBackward(q, k, v, probs, dOut, batch, seqLen, heads, headDim);
    const gpuDQ = await gpu.readF32(grads.dQ, SIZE);
    const gpuDK = await gpu.readF32(grads.dK, SIZE);
    const gpuDV = await gpu.readF32(grads.dV, SIZE);
    assertAllClose(gpuDQ, expected.dQ, tolerance, "dQ");
    assertAllClose(gpuDK, expected.dK, tolerance, "dK");
    assertAllClose(gpuDV, expected.dV, tolerance, "dV");

    const forward = { out: gpu.createBuffer(SIZE), probs: gpu.createBuffer(PROBS) };
    const loss = async (qs: Float32Array, ks: Float32Array, vs: Float32Array) => {
      causalAttentionGpu(gpu, gpu.upload(qs), gpu.upload(ks), gpu.upload(vs), forward, shape);
      return weightedSum(await gpu.readF32(forward.out, SIZE), dOut);
    };
    const fdTolerance = { atol: 1e-2, rtol: 1e-3 };
    await assertDirectionalGradient((x) => loss(x, k, v), q, gpuDQ, fdTolerance, "dQ");
    await assertDirectionalGradient((x) => loss(q, x, v), k, gpuDK, fdTolerance, "dK");
    await assertDirectionalGradient((x) => loss(q, k, x), v, gpuDV, fdTolerance, "dV");
  },
));
