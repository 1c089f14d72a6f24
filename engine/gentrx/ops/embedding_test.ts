import { throws } from "node:assert/strict";
import {
  assertAllClose,
  assertGradient,
  weightedSum,
} from "@/engine/gentrx/ops/_gradient_check.ts";
import { embedding, embeddingBackward } from "@/engine/gentrx/ops/embedding.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

Deno.test("embedding copies the rows named by the ids", () => {
  const table = Float32Array.from([0, 1, 10, 11, 20, 21]);
  const out = embedding(table, Int32Array.from([2, 0, 2]), 3, 2);
  assertAllClose(out, [20, 21, 0, 1, 20, 21], { atol: 0, rtol: 0 }, "out");
});

Deno.test("embeddingBackward scatter-adds and matches finite differences", () => {
  const [vocab, dim] = [4, 3];
  const random = new SeededRandom(41);
  const table = random.normals(vocab * dim, 1);
  const ids = Int32Array.from([1, 3, 1, 0, 1]);
  const dOut = random.normals(ids.length * dim, 1);
  const loss = () => weightedSum(embedding(table, ids, vocab, dim), dOut);
  const dTable = embeddingBackward(ids, dOut, vocab, dim);
  assertGradient(loss, table, dTable, { atol: 1e-4, rtol: 1e-3 }, "dTable");
});

Deno.test("an id outside the table is a clear error", () => {
  throws(
    () => embedding(new Float32Array(6), Int32Array.from([0, 3]), 3, 2),
    /Cannot embed row 1: token id 3 is outside \[0, 3\)/,
  );
});
