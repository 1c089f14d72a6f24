import { throws } from "node:assert/strict";
import { assertAllClose, weightedSum } from "@/engine/gentrx/ops/_gradient_check.ts";
import { embedding, embeddingBackward } from "@/engine/gentrx/ops/embedding.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { assertDirectionalGradient, gpuTest } from "@/workers/gentrx/_gpu_testing.ts";
import {
  embeddingBackwardGpu,
  embeddingGpu,
  EmbeddingIds,
} from "@/workers/gentrx/kernels/embedding.ts";

/** More rows than tokens, so tokens repeat; some tokens never occur. */
const [VOCAB, DIM, ROWS] = [23, 12, 90];
const exact = { atol: 0, rtol: 0 };

function inputs(seed: number) {
  const random = new SeededRandom(seed);
  const ids = Int32Array.from({ length: ROWS }, () => random.integer(0, VOCAB - 3));
  return { ids, table: random.normals(VOCAB * DIM, 1), dOut: random.normals(ROWS * DIM, 1) };
}

Deno.test(gpuTest("embeddingGpu matches the CPU embedding", async (gpu) => {
  const { ids, table } = inputs(41);
  const out = gpu.createBuffer(ROWS * DIM);
  embeddingGpu(gpu, gpu.upload(table), new EmbeddingIds(gpu, ids, VOCAB), out, DIM);
  assertAllClose(
    await gpu.readF32(out, ROWS * DIM),
    embedding(table, ids, VOCAB, DIM),
    exact,
    "out",
  );
}));

Deno.test(
  gpuTest(
    "embeddingBackwardGpu matches the CPU scatter-add and finite differences",
    async (gpu) => {
      const { ids, table, dOut } = inputs(42);
      const gpuIds = new EmbeddingIds(gpu, ids, VOCAB);
      const dTable = gpu.createBuffer(VOCAB * DIM);
      embeddingBackwardGpu(gpu, gpuIds, gpu.upload(dOut), dTable, DIM);
      const gpuDTable = await gpu.readF32(dTable, VOCAB * DIM);
      // Rows are summed in the CPU's order, so the sums agree bit for bit.
      assertAllClose(gpuDTable, embeddingBackward(ids, dOut, VOCAB, DIM), exact, "dTable");

      const out = gpu.createBuffer(ROWS * DIM);
      const loss = async (t: Float32Array) => {
        embeddingGpu(gpu, gpu.upload(t), gpuIds, out, DIM);
        return weightedSum(await gpu.readF32(out, ROWS * DIM), dOut);
      };
      await assertDirectionalGradient(loss, table, gpuDTable, { atol: 1e-2, rtol: 1e-3 }, "dTable");
    },
  ),
);

Deno.test(gpuTest("an id outside the vocabulary is a clear error, as on the CPU", (gpu) => {
  throws(
    () => new EmbeddingIds(gpu, Int32Array.from([0, 3]), 3),
    /Cannot embed row 1: token id 3 is outside \[0, 3\)/,
  );
  return Promise.resolve();
}));
