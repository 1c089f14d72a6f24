import {
  assertAllClose,
  assertGradient,
  weightedSum,
} from "@/engine/gentrx/ops/_gradient_check.ts";
import { rmsNorm, rmsNormBackward } from "@/engine/gentrx/ops/rms_norm.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const eps = 1e-6;
const tolerance = { atol: 1e-4, rtol: 2e-3 };

Deno.test("rmsNorm scales each row to unit root mean square", () => {
  const { y, invRms } = rmsNorm(
    Float32Array.from([3, 4, 0, 0]),
    Float32Array.from([1, 2]),
    2,
    2,
    0,
  );
  const expected = [3 / Math.sqrt(12.5), 8 / Math.sqrt(12.5), 0, 0];
  assertAllClose(y.slice(0, 2), expected.slice(0, 2), { atol: 1e-6, rtol: 1e-6 }, "y");
  assertAllClose(invRms.slice(0, 1), [1 / Math.sqrt(12.5)], { atol: 1e-6, rtol: 1e-6 }, "invRms");
});

Deno.test("rmsNormBackward matches finite differences", () => {
  const [rows, dim] = [3, 6];
  const random = new SeededRandom(12);
  const x = random.normals(rows * dim, 1);
  const weight = random.normals(dim, 1);
  const dY = random.normals(rows * dim, 1);
  const loss = () => weightedSum(rmsNorm(x, weight, rows, dim, eps).y, dY);
  const { invRms } = rmsNorm(x, weight, rows, dim, eps);
  const { dX, dWeight } = rmsNormBackward(x, weight, invRms, dY, rows, dim);
  assertGradient(loss, x, dX, tolerance, "dX");
  assertGradient(loss, weight, dWeight, tolerance, "dWeight");
});
