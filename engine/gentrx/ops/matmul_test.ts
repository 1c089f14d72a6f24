import {
  assertAllClose,
  assertGradient,
  weightedSum,
} from "@/engine/gentrx/ops/_gradient_check.ts";
import { matmul, matmulBackward } from "@/engine/gentrx/ops/matmul.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const tolerance = { atol: 1e-4, rtol: 1e-3 };

Deno.test("matmul matches a hand-computed product", () => {
  const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2×3
  const b = Float32Array.from([7, 8, 9, 10, 11, 12]); // 3×2
  assertAllClose(matmul(a, b, 2, 3, 2), [58, 64, 139, 154], { atol: 0, rtol: 0 }, "C");
});

Deno.test("the four-row blocks and the leftover rows agree with a naive product", () => {
  const [m, k, n] = [7, 5, 6];
  const random = new SeededRandom(10);
  const a = random.normals(m * k, 1);
  const b = random.normals(k * n, 1);
  const naive = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < k; p++) naive[i * n + j] += a[i * k + p] * b[p * n + j];
    }
  }
  assertAllClose(matmul(a, b, m, k, n), naive, { atol: 1e-5, rtol: 1e-5 }, "C");
});

Deno.test("matmulBackward matches finite differences", () => {
  // m = 6: one block of four rows and two leftover rows.
  const [m, k, n] = [6, 4, 5];
  const random = new SeededRandom(11);
  const a = random.normals(m * k, 1);
  const b = random.normals(k * n, 1);
  const dC = random.normals(m * n, 1);
  const loss = () => weightedSum(matmul(a, b, m, k, n), dC);
  const { dA, dB } = matmulBackward(a, b, dC, m, k, n);
  assertGradient(loss, a, dA, tolerance, "dA");
  assertGradient(loss, b, dB, tolerance, "dB");
});
