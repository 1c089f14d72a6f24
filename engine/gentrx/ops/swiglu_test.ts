import {
  assertAllClose,
  assertGradient,
  weightedSum,
} from "@/engine/gentrx/ops/_gradient_check.ts";
import { swiglu, swigluBackward } from "@/engine/gentrx/ops/swiglu.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

Deno.test("swiglu is silu(gate)·up", () => {
  const y = swiglu(Float32Array.from([0, 1, -2]), Float32Array.from([5, 2, 1]), 3);
  const silu = (g: number) => g / (1 + Math.exp(-g));
  assertAllClose(y, [0, 2 * silu(1), silu(-2)], { atol: 1e-6, rtol: 1e-6 }, "y");
});

Deno.test("swigluBackward matches finite differences", () => {
  const n = 12;
  const random = new SeededRandom(31);
  const gate = random.normals(n, 2);
  const up = random.normals(n, 1);
  const dY = random.normals(n, 1);
  const loss = () => weightedSum(swiglu(gate, up, n), dY);
  const { dGate, dUp } = swigluBackward(gate, up, dY, n);
  const tolerance = { atol: 1e-4, rtol: 1e-3 };
  assertGradient(loss, gate, dGate, tolerance, "dGate");
  assertGradient(loss, up, dUp, tolerance, "dUp");
});
