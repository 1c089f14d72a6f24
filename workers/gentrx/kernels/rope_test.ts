import { assertAllClose, weightedSum } from "@/engine/gentrx/ops/_gradient_check.ts";
import { LLAMA_ROPE_BASE, rope, ropeBackward } from "@/engine/gentrx/ops/rope.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { assertDirectionalGradient, gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import { ropeBackwardGpu, ropeGpu } from "@/workers/gentrx/kernels/rope.ts";

const [BATCH, SEQ_LEN, HEADS, HEAD_DIM] = [2, 40, 3, 8];
const SIZE = BATCH * SEQ_LEN * HEADS * HEAD_DIM;
/** f32 sin/cos of angles up to SEQ_LEN radians lose about 1e-6 relative to f64. */
const tolerance = { atol: 2e-5, rtol: 1e-4 };

Deno.test(gpuTest("ropeGpu matches the CPU rope", async (gpu) => {
  const x = new SeededRandom(13).normals(SIZE, 1);
  const y = gpu.createBuffer(SIZE);
  ropeGpu(gpu, gpu.upload(x), y, BATCH, SEQ_LEN, HEADS, HEAD_DIM, LLAMA_ROPE_BASE);
  const expected = rope(x, BATCH, SEQ_LEN, HEADS, HEAD_DIM, LLAMA_ROPE_BASE);
  assertAllClose(await gpu.readF32(y, SIZE), expected, tolerance, "y");
}));

Deno.test(
  gpuTest("ropeBackwardGpu matches the CPU gradient and finite differences", async (gpu) => {
    const random = new SeededRandom(14);
    const x = random.normals(SIZE, 1);
    const dY = random.normals(SIZE, 1);
    const dX = gpu.createBuffer(SIZE);
    ropeBackwardGpu(gpu, gpu.upload(dY), dX, BATCH, SEQ_LEN, HEADS, HEAD_DIM, LLAMA_ROPE_BASE);
    const gpuDX = await gpu.readF32(dX, SIZE);
    const expected = ropeBackward(dY, BATCH, SEQ_LEN, HEADS, HEAD_DIM, LLAMA_ROPE_BASE);
    assertAllClose(gpuDX, expected, tolerance, "dX");

    const y = gpu.createBuffer(SIZE);
    const loss = async (input: Float32Array) => {
      ropeGpu(gpu, gpu.upload(input), y, BATCH, SEQ_LEN, HEADS, HEAD_DIM, LLAMA_ROPE_BASE);
      return weightedSum(await gpu.readF32(y, SIZE), dY);
    };
    await assertDirectionalGradient(loss, x, gpuDX, { atol: 1e-2, rtol: 1e-3 }, "dX");
  }),
);
