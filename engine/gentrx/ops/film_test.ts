import {
  assertAllClose,
  assertGradient,
  weightedSum,
} from "@/engine/gentrx/ops/_gradient_check.ts";
import { film, filmBackward } from "@/engine/gentrx/ops/film.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

Deno.test("film with zero gamma and beta is the identity", () => {
  const x = new SeededRandom(51).normals(2 * 3 * 4, 1);
  const zeros = new Float32Array(2 * 4);
  assertAllClose(film(x, zeros, zeros, 2, 3, 4), x, { atol: 0, rtol: 0 }, "y");
});

Deno.test("filmBackward matches finite differences", () => {
  const [batch, rowsPerBatch, dim] = [2, 3, 4];
  const random = new SeededRandom(52);
  const x = random.normals(batch * rowsPerBatch * dim, 1);
  const gamma = random.normals(batch * dim, 0.5);
  const beta = random.normals(batch * dim, 0.5);
  const dY = random.normals(x.length, 1);
  const loss = () => weightedSum(film(x, gamma, beta, batch, rowsPerBatch, dim), dY);
  const { dX, dGamma, dBeta } = filmBackward(x, gamma, dY, batch, rowsPerBatch, dim);
  const tolerance = { atol: 1e-4, rtol: 1e-3 };
  assertGradient(loss, x, dX, tolerance, "dX");
  assertGradient(loss, gamma, dGamma, tolerance, "dGamma");
  assertGradient(loss, beta, dBeta, tolerance, "dBeta");
});
