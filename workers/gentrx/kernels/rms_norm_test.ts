import { assertAllClose, weightedSum } from "@/engine/gentrx/ops/_gradient_check.ts";
import { rmsNorm, rmsNormBackward } from "@/engine/gentrx/ops/rms_norm.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { assertDirectionalGradient, gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import { rmsNormBackwardGpu, rmsNormGpu } from "@/workers/gentrx/kernels/rms_norm.ts";

const [ROWS, DIM] = [70, 36];
const EPS = 1e-6;
const tolerance = { atol: 1e-5, rtol: 1e-4 };

function inputs(seed: number) {
  const random = new SeededRandom(seed);
  return {
    x: random.normals(ROWS * DIM, 1),
    weight: random.normals(DIM, 1),
    dY: random.normals(ROWS * DIM, 1),
  };
}

Deno.test(gpuTest("rmsNormGpu matches the CPU rmsNorm", async (gpu) => {
  const { x, weight } = inputs(12);
  const y = gpu.createBuffer(ROWS * DIM);
  const invRms = gpu.createBuffer(ROWS);
  rmsNormGpu(gpu, gpu.upload(x), gpu.upload(weight), { y, invRms }, ROWS, DIM, EPS);
  const expected = rmsNorm(x, weight, ROWS, DIM, EPS);
  assertAllClose(await gpu.readF32(y, ROWS * DIM), expected.y, tolerance, "y");
  assertAllClose(await gpu.readF32(invRms, ROWS), expected.invRms, tolerance, "invRms");
}));

Deno.test(
  gpuTest("rmsNormBackwardGpu matches the CPU gradients and finite differences", async (gpu) => {
    const { x, weight, dY } = inputs(13);
    const { invRms } = rmsNorm(x, weight, ROWS, DIM, EPS);
    const dX = gpu.createBuffer(ROWS * DIM);
    const dWeight = gpu.createBuffer(DIM);
    const buffers = [x, weight, invRms, dY].map((data) => gpu.upload(data));
    rmsNormBackwardGpu(
      gpu,
      buffers[0],
      buffers[1],
      buffers[2],
      buffers[3],
      { dX, dWeight },
      ROWS,
      DIM,
    );
    const expected = rmsNormBackward(x, weight, invRms, dY, ROWS, DIM);
    const gpuDX = await gpu.readF32(dX, ROWS * DIM);
    const gpuDWeight = await gpu.readF32(dWeight, DIM);
    assertAllClose(gpuDX, expected.dX, tolerance, "dX");
    assertAllClose(gpuDWeight, expected.dWeight, tolerance, "dWeight");

    const y = gpu.createBuffer(ROWS * DIM);
    const invRmsScratch = gpu.createBuffer(ROWS);
    const loss = async (input: Float32Array, w: Float32Array) => {
      rmsNormGpu(
        gpu,
        gpu.upload(input),
        gpu.upload(w),
        { y, invRms: invRmsScratch },
        ROWS,
        DIM,
        EPS,
      );
      return weightedSum(await gpu.readF32(y, ROWS * DIM), dY);
    };
    const fdTolerance = { atol: 1e-2, rtol: 1e-3 };
    await assertDirectionalGradient((input) => loss(input, weight), x, gpuDX, fdTolerance, "dX");
    await assertDirectionalGradient((w) => loss(x, w), weight, gpuDWeight, fdTolerance, "dWeight");
  }),
);
