import { assertAllClose, weightedSum } from "@/engine/gentrx/ops/_gradient_check.ts";
import { matmul, matmulBackward } from "@/engine/gentrx/ops/matmul.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { assertDirectionalGradient, gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import { matmulBackwardGpu, matmulGpu } from "@/workers/gentrx/kernels/matmul.ts";

const tolerance = { atol: 1e-4, rtol: 1e-4 };
/**
 * Shapes with edges inside an 8×8 block, inside a 64×64 workgroup tile and
 * beyond one tile, plus a tile-aligned one.
 */
const SHAPES = [[1, 1, 1], [5, 3, 7], [33, 17, 41], [70, 9, 130], [64, 64, 64]];

Deno.test(
  gpuTest("matmulGpu matches the CPU matmul on tile-aligned and ragged shapes", async (gpu) => {
    for (const [m, k, n] of SHAPES) {
      const random = new SeededRandom(m * 1000 + n);
      const a = random.normals(m * k, 1);
      const b = random.normals(k * n, 1);
      const c = gpu.createBuffer(m * n);
      matmulGpu(gpu, gpu.upload(a), gpu.upload(b), c, m, k, n);
      assertAllClose(
        await gpu.readF32(c, m * n),
        matmul(a, b, m, k, n),
        tolerance,
        `C ${m}×${k}×${n}`,
      );
    }
  }),
);

Deno.test(
  gpuTest("matmulBackwardGpu matches the CPU gradients and finite differences", async (gpu) => {
    for (const [m, k, n] of SHAPES) {
      const random = new SeededRandom(m * 1000 + n + 1);
      const a = random.normals(m * k, 1);
      const b = random.normals(k * n, 1);
      const dC = random.normals(m * n, 1);
      const dA = gpu.createBuffer(m * k);
      const dB = gpu.createBuffer(k * n);
      const [aBuffer, bBuffer, dCBuffer] = [gpu.upload(a), gpu.upload(b), gpu.upload(dC)];
      matmulBackwardGpu(gpu, aBuffer, bBuffer, dCBuffer, { dA, dB }, m, k, n);
      const expected = matmulBackward(a, b, dC, m, k, n);
      const gpuDA = await gpu.readF32(dA, m * k);
      const gpuDB = await gpu.readF32(dB, k * n);
      assertAllClose(gpuDA, expected.dA, tolerance, `dA ${m}×${k}×${n}`);
      assertAllClose(gpuDB, expected.dB, tolerance, `dB ${m}×${k}×${n}`);

      const c = gpu.createBuffer(m * n);
      const loss = async (left: Float32Array, right: Float32Array) => {
        matmulGpu(gpu, gpu.upload(left), gpu.upload(right), c, m, k, n);
        return weightedSum(await gpu.readF32(c, m * n), dC);
      };
      const fdTolerance = { atol: 1e-2, rtol: 1e-3 };
      await assertDirectionalGradient((x) => loss(x, b), a, gpuDA, fdTolerance, "dA");
      await assertDirectionalGradient((x) => loss(a, x), b, gpuDB, fdTolerance, "dB");
    }
  }),
);
