import { ok } from "node:assert/strict";
import { dct, inverseDct } from "@/engine/gentrx/compression/dct.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

/** The orthonormal DCT-II written out directly, O(n²) in float64. */
function directDct(x: readonly number[]): number[] {
  const n = x.length;
  return x.map((_, k) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i] * Math.cos((Math.PI / n) * (i + 0.5) * k);
    return sum * (k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n));
  });
}

const TOLERANCE = { atol: 1e-9, rtol: 1e-9 };

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  for (let i = 0; i < expected.length; i++) {
    const limit = TOLERANCE.atol + TOLERANCE.rtol * Math.abs(expected[i]);
    ok(
      Math.abs(actual[i] - expected[i]) <= limit,
      `${label}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

Deno.test("the DCT-II matches the direct O(n²) formula for chunk lengths 1 to 64 and 256", () => {
  const random = new SeededRandom(11);
  for (const length of [...Array.from({ length: 64 }, (_, i) => i + 1), 256]) {
    const x = Array.from({ length }, () => random.normal());
    const out = new Float64Array(length);
    dct(x, out);
    close(out, directDct(x), `dct length ${length}`);
  }
});

Deno.test("the inverse DCT undoes the DCT and keeps the energy (orthonormal)", () => {
  const random = new SeededRandom(12);
  for (const length of [3, 17, 64, 255]) {
    const x = Float64Array.from({ length }, () => random.normal());
    const coefficients = new Float64Array(length);
    const back = new Float64Array(length);
    dct(x, coefficients);
    inverseDct(coefficients, back);
    close(back, x, `round trip length ${length}`);
    const energy = (v: Float64Array) => v.reduce((sum, value) => sum + value * value, 0);
    ok(Math.abs(energy(coefficients) - energy(x)) < 1e-9 * energy(x));
  }
});
