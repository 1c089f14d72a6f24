import {
  assertAllClose,
  assertGradient,
  weightedSum,
} from "@/engine/gentrx/ops/_gradient_check.ts";
import { LLAMA_ROPE_BASE, rope, ropeBackward } from "@/engine/gentrx/ops/rope.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const tolerance = { atol: 1e-4, rtol: 1e-3 };

Deno.test("rope leaves position 0 alone and rotates the first pair by the position", () => {
  const x = Float32Array.from([1, 0, 1, 0]); // batch 1, seq 2, 1 head, headDim 2
  const y = rope(x, 1, 2, 1, 2, LLAMA_ROPE_BASE);
  assertAllClose(y, [1, 0, Math.cos(1), Math.sin(1)], { atol: 1e-6, rtol: 0 }, "y");
});

Deno.test("ropeBackward matches finite differences", () => {
  const [batch, seqLen, heads, headDim] = [2, 3, 2, 4];
  const random = new SeededRandom(13);
  const x = random.normals(batch * seqLen * heads * headDim, 1);
  const dY = random.normals(x.length, 1);
  const loss = () => weightedSum(rope(x, batch, seqLen, heads, headDim, LLAMA_ROPE_BASE), dY);
  const dX = ropeBackward(dY, batch, seqLen, heads, headDim, LLAMA_ROPE_BASE);
  assertGradient(loss, x, dX, tolerance, "dX");
});
