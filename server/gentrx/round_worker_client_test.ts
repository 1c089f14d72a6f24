import { deepEqual, equal, ok } from "node:assert/strict";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { encodeDelta } from "@/engine/gentrx/compression/delta_codec.ts";
import { meanLoss, trainDelta } from "@/engine/gentrx/compression/miner_delta.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { gradientKey, publishedDeltaKey } from "@/engine/gentrx/store/data_keys.ts";
import { decodeTrainingPage, pagesToBatches } from "@/engine/gentrx/store/training_page.ts";
import {
  assertSameWeights,
  fillPages,
  SCOPE,
  tinyDelta,
  tinyServer,
  withBucket,
} from "@/server/gentrx/_gradient_server_fixture.ts";
import { GradientServer } from "@/server/gentrx/gradient_server.ts";
import { RoundEvaluator } from "@/server/gentrx/round_evaluator.ts";
import { RoundWorker } from "@/server/gentrx/round_worker_client.ts";

Deno.test("a round scored in the worker is bit for bit the round scored on the validator's thread", async () => {
  await withBucket(async (root, kv) => {
    const { store, data } = await fillPages(root);
    const options = tinyServer(kv, store, data);
    const server = await GradientServer.open(options);
    const base = server.model;
    const assignments = await server.openRound(1, [1, 2, 3]);
    const record = (await server.rounds.round(1))!;
    const held = record.heldOutPages;
    const pageBytes = async (key: string) => (await store.get(key))!;
    const batches = async (keys: readonly string[]) =>
      pagesToBatches(
        await Promise.all(keys.map(async (key) => decodeTrainingPage(await pageBytes(key)))),
        TINY_GENTRX_CONFIG.tokenizer,
        options,
      );
    // uid 1 trains, uid 2 sends seeded noise, uid 3 sends garbage.
    const trained = trainDelta(base, await batches(assignments[0].pages), { steps: 3 });
    const uploads = new Map([
      [1, encodeDelta(trained.delta, { modelVersion: 0 })],
      [2, encodeDelta(tinyDelta(1e-3), { modelVersion: 0 })],
      [3, new TextEncoder().encode("not a delta")],
    ]);
    for (const [uid, bytes] of uploads) {
      await server.delivered(1, uid);
      await store.put(gradientKey(SCOPE, uid, 1), bytes);
    }
    await server.collect(1);
    const reply = await server.score(1);

    // The same round on this thread.
    const evaluator = new RoundEvaluator(base, 0, options);
    for (const key of new Set([...held, ...assignments.flatMap((a) => a.pages)])) {
      evaluator.addPages([{ key, bytes: await pageBytes(key) }]);
    }
    const heldLossBefore = await evaluator.baseLoss(held);
    equal(heldLossBefore, meanLoss(base, await batches(held)));
    equal(reply.held_loss_before, heldLossBefore);
    for (const assignment of assignments) {
      const { uid, pages } = assignment;
      const expected = await evaluator.evaluateUpload(uid, uploads.get(uid)!, pages, held);
      const scores = reply.scores[uid];
      if (expected.ok) {
        deepEqual(
          [scores.score_own, scores.score_held, scores.grad_norm],
          [expected.scoreOwn, expected.scoreHeld, expected.gradNorm],
        );
      } else {
        equal(scores.reason, `rejected upload: ${expected.message}`);
      }
    }
    const accepted = assignments.map((a) => a.uid).filter((uid) => reply.scores[uid].accepted);
    ok(accepted.length > 0 && reply.applied, JSON.stringify(reply));
    const proposal = await evaluator.propose(accepted, 1, held);
    equal(reply.held_loss_after, proposal.heldLoss);
    deepEqual(await store.get(publishedDeltaKey(SCOPE, 0, 1)), proposal.bytes);
    assertSameWeights(server.model, new GenTrxModel(base.config, proposal.parameters));
  });
});

Deno.test("RoundWorker fails a call with the worker's error, and every call after close", async () => {
  const model = GenTrxModel.create(TINY_GENTRX_CONFIG, 1);
  const worker = await RoundWorker.open(model, 0, { seqLen: 4, batchSize: 2 }, () => {
    throw new RangeError('Cannot score: page "x" is missing');
  });
  const message = (call: Promise<unknown>) =>
    call.then(() => "resolved", (error: Error) => error.message);
  try {
    equal(await message(worker.baseLoss(["x"])), 'Cannot score: page "x" is missing');
    equal(await message(worker.propose([7], 1, [])), "Cannot propose: uid 7 was not evaluated");
  } finally {
    worker.close();
  }
  equal(
    await message(worker.propose([7], 1, [])),
    'Cannot send "propose": the scoring worker is closed',
  );
});
