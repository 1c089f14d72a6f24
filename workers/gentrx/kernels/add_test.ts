import { assertAllClose } from "@/engine/gentrx/ops/_gradient_check.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import { addScaledGpu, copyScaledGpu } from "@/workers/gentrx/kernels/add.ts";

const N = 300;
const ALPHA = -0.75;
const tolerance = { atol: 1e-6, rtol: 1e-6 };

Deno.test(gpuTest("addScaledGpu and copyScaledGpu match y + αx and αx", async (gpu) => {
  const random = new SeededRandom(81);
  const x = random.normals(N, 1);
  const y = random.normals(N, 1);
  const sum = gpu.upload(y);
  const scaled = gpu.createBuffer(N);
  const xBuffer = gpu.upload(x);
  addScaledGpu(gpu, xBuffer, sum, N, ALPHA);
  copyScaledGpu(gpu, xBuffer, scaled, N, ALPHA);
  assertAllClose(await gpu.readF32(sum, N), y.map((v, i) => v + ALPHA * x[i]), tolerance, "y + αx");
  assertAllClose(await gpu.readF32(scaled, N), x.map((v) => ALPHA * v), tolerance, "αx");
}));
