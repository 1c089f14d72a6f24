import { assertAllClose, weightedSum } from "@/engine/gentrx/ops/_gradient_check.ts";
import { film, filmBackward } from "@/engine/gentrx/ops/film.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { assertDirectionalGradient, gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import { filmBackwardGpu, filmGpu } from "@/workers/gentrx/kernels/film.ts";

const [BATCH, ROWS_PER_BATCH, DIM] = [3, 5, 20];
const SIZE = BATCH * ROWS_PER_BATCH * DIM;
const tolerance = { atol: 1e-5, rtol: 1e-4 };

function inputs(seed: number) {
  const random = new SeededRandom(seed);
  return {
    x: random.normals(SIZE, 1),
    gamma: random.normals(BATCH * DIM, 0.5),
    beta: random.normals(BATCH * DIM, 0.5),
    dY: random.normals(SIZE, 1),
  };
}

Deno.test(gpuTest("filmGpu matches the CPU film", async (gpu) => {
  const { x, gamma, beta } = inputs(51);
  const y = gpu.createBuffer(SIZE);
  filmGpu(gpu, gpu.upload(x), gpu.upload(gamma), gpu.upload(beta), y, BATCH, ROWS_PER_BATCH, DIM);
  const expected = film(x, gamma, beta, BATCH, ROWS_PER_BATCH, DIM);
  assertAllClose(await gpu.readF32(y, SIZE), expected, tolerance, "y");
}));

Deno.test(
  gpuTest("filmBackwardGpu matches the CPU gradients and finite differences", async (gpu) => {
    const { x, gamma, beta, dY } = inputs(52);
    const grads = {
      dX: gpu.createBuffer(SIZE),
      dGamma: gpu.createBuffer(BATCH * DIM),
      dBeta: gpu.createBuffer(BATCH * DIM),
    };
    const [xBuffer, gammaBuffer, dYBuffer] = [x, gamma, dY].map((data) => gpu.upload(data));
    filmBackwardGpu(gpu, xBuffer, gammaBuffer, dYBuffer, grads, BATCH, ROWS_PER_BATCH, DIM);
    const expected = filmBackward(x, gamma, dY, BATCH, ROWS_PER_BATCH, DIM);
    const gpuDX = await gpu.readF32(grads.dX, SIZE);
    const gpuDGamma = await gpu.readF32(grads.dGamma, BATCH * DIM);
    const gpuDBeta = await gpu.readF32(grads.dBeta, BATCH * DIM);
    assertAllClose(gpuDX, expected.dX, tolerance, "dX");
    assertAllClose(gpuDGamma, expected.dGamma, tolerance, "dGamma");
    assertAllClose(gpuDBeta, expected.dBeta, tolerance, "dBeta");

    const y = gpu.createBuffer(SIZE);
    const loss = async (input: Float32Array, g: Float32Array, b: Float32Array) => {
      filmGpu(gpu, gpu.upload(input), gpu.upload(g), gpu.upload(b), y, BATCH, ROWS_PER_BATCH, DIM);
      return weightedSum(await gpu.readF32(y, SIZE), dY);
    };
    const fdTolerance = { atol: 1e-2, rtol: 1e-3 };
    await assertDirectionalGradient((v) => loss(v, gamma, beta), x, gpuDX, fdTolerance, "dX");
    await assertDirectionalGradient(
      (v) => loss(x, v, beta),
      gamma,
      gpuDGamma,
      fdTolerance,
      "dGamma",
    );
    await assertDirectionalGradient((v) => loss(x, gamma, v), beta, gpuDBeta, fdTolerance, "dBeta");
  }),
);
