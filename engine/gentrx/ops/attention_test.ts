import { equal } from "node:assert/strict";
import {
  assertAllClose,
  assertGradient,
  weightedSum,
} from "@/engine/gentrx/ops/_gradient_check.ts";
import { causalAttention, causalAttentionBackward } from "@/engine/gentrx/ops/attention.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const [batch, seqLen, heads, headDim] = [2, 4, 2, 3];
const tolerance = { atol: 1e-4, rtol: 2e-3 };

function inputs(seed: number) {
  const random = new SeededRandom(seed);
  const size = batch * seqLen * heads * headDim;
  return { q: random.normals(size, 1), k: random.normals(size, 1), v: random.normals(size, 1) };
}

Deno.test("causalAttention: the first position copies its value, rows of probs sum to one", () => {
  const { q, k, v } = inputs(21);
  const { out, probs } = causalAttention(q, k, v, batch, seqLen, heads, headDim);
  assertAllClose(out.slice(0, headDim), v.slice(0, headDim), { atol: 1e-6, rtol: 0 }, "out[0]");
  for (let row = 0; row < batch * heads * seqLen; row++) {
    const i = row % seqLen;
    const rowProbs = probs.slice(row * seqLen, (row + 1) * seqLen);
    assertAllClose([rowProbs.reduce((sum, p) => sum + p, 0)], [1], { atol: 1e-6, rtol: 0 }, "sum");
    for (let j = i + 1; j < seqLen; j++) equal(rowProbs[j], 0);
  }
});

Deno.test("causalAttentionBackward matches finite differences", () => {
  const { q, k, v } = inputs(22);
  const dOut = new SeededRandom(23).normals(q.length, 1);
  const loss = () => weightedSum(causalAttention(q, k, v, batch, seqLen, heads, headDim).out, dOut);
  const { probs } = causalAttention(q, k, v, batch, seqLen, heads, headDim);
  const { dQ, dK, dV } = causalAttentionBackward(
    q,
    k,
    v,
    probs,
    dOut,
    batch,
    seqLen,
    heads,
    headDim,
  );
  assertGradient(loss, q, dQ, tolerance, "dQ");
  assertGradient(loss, k, dK, tolerance, "dK");
  assertGradient(loss, v, dV, tolerance, "dV");
});
