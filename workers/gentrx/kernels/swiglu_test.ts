import { assertAllClose, weightedSum } from "@/engine/gentrx/ops/_gradient_check.ts";
import { swiglu, swigluBackward } from "@/engine/gentrx/ops/swiglu.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { assertDirectionalGradient, gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import { swigluBackwardGpu, swigluGpu } from "@/workers/gentrx/kernels/swiglu.ts";

const tolerance = { atol: 1e-5, rtol: 1e-4 };
/** More elements than one workgroup, and not a multiple of its size. */
const N = 1_000;

function inputs(seed: number) {
  const random = new SeededRandom(seed);
  return { gate: random.normals(N, 2), up: random.normals(N, 1), dY: random.normals(N, 1) };
}

Deno.test(gpuTest("swigluGpu matches the CPU swiglu", async (gpu) => {
  const { gate, up } = inputs(31);
  const y = gpu.createBuffer(N);
  swigluGpu(gpu, gpu.upload(gate), gpu.upload(up), y, N);
  assertAllClose(await gpu.readF32(y, N), swiglu(gate, up, N), tolerance, "y");
}));

Deno.test(
  gpuTest("swigluBackwardGpu matches the CPU gradients and finite differences", async (gpu) => {
    const { gate, up, dY } = inputs(32);
    const dGate = gpu.createBuffer(N);
    const dUp = gpu.createBuffer(N);
    swigluBackwardGpu(gpu, gpu.upload(gate), gpu.upload(up), gpu.upload(dY), { dGate, dUp }, N);
    const expected = swigluBackward(gate, up, dY, N);
    const gpuDGate = await gpu.readF32(dGate, N);
    const gpuDUp = await gpu.readF32(dUp, N);
    assertAllClose(gpuDGate, expected.dGate, tolerance, "dGate");
    assertAllClose(gpuDUp, expected.dUp, tolerance, "dUp");

    const y = gpu.createBuffer(N);
    const loss = async (g: Float32Array, u: Float32Array) => {
      swigluGpu(gpu, gpu.upload(g), gpu.upload(u), y, N);
      return weightedSum(await gpu.readF32(y, N), dY);
    };
    const fdTolerance = { atol: 1e-2, rtol: 1e-3 };
    await assertDirectionalGradient((g) => loss(g, up), gate, gpuDGate, fdTolerance, "dGate");
    await assertDirectionalGradient((u) => loss(gate, u), up, gpuDUp, fdTolerance, "dUp");
  }),
);
