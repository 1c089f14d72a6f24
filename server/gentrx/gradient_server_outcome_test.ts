/**
 * What a scored round does to the model (taos.md §6.4): warm-up applies,
 * a proposal that does not lower the held-out loss is rolled back, an
 * overfitting upload is flagged and only logged, full checkpoints come every
 * `CHECKPOINT_EVERY_VERSIONS` versions, and a restart between publishing and
 * recording a round neither rescores it differently nor publishes it twice.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { encodeDelta, type ModelDelta } from "@/engine/gentrx/compression/delta_codec.ts";
import {
  checkpointKey,
  deltaHeadKey,
  gradientKey,
  proposalKey,
  publishedDeltaKey,
  scopePrefix,
} from "@/engine/gentrx/store/data_keys.ts";
import { runMinerWork } from "@/engine/gentrx/store/miner_work.ts";
import {
  CHECKPOINT_EVERY_VERSIONS,
  loadPublishedModel,
  PUBLISHED_CODEC,
  readHead,
} from "@/engine/gentrx/store/published_model.ts";
import type { GenTrxModel } from "@/engine/gentrx/model.ts";
import {
  assertSameWeights,
  fillPages,
  SCOPE,
  tinyDelta,
  tinyServer,
  withBucket,
} from "@/server/gentrx/_gradient_server_fixture.ts";
import { GradientServer, type ScoresReply } from "@/server/gentrx/gradient_server.ts";
import type { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";

/** Opens `round` for the uploads' UIDs, puts each delta (lossless) in the bucket and scores it. */
async function scoreUploads(
  server: GradientServer,
  store: LocalFolderStore,
  round: number,
  uploads: ReadonlyMap<number, ModelDelta>,
): Promise<ScoresReply> {
  for (const assignment of await server.openRound(round, [...uploads.keys()])) {
    await server.delivered(round, assignment.uid);
    const bytes = encodeDelta(uploads.get(assignment.uid)!, {
      modelVersion: assignment.modelVersion,
      codec: PUBLISHED_CODEC,
    });
    await store.put(gradientKey(SCOPE, assignment.uid, round), bytes);
  }
  equal(await server.collect(round), uploads.size);
  return await server.score(round);
}

Deno.test("after warm-up, a proposal that raises the held-out loss is rolled back: same version and weights, applied false, the reason in /scores and the log", async () => {
  await withBucket(async (root, kv) => {
    const { store, data } = await fillPages(root);
    const log: string[] = [];
    const server = await GradientServer.open({
      ...tinyServer(kv, store, data),
      warmupRounds: 1,
      // Every finite upload is accepted, so the proposal is the noise itself.
      acceptAbove: -1000,
      requireOwnImprovement: false,
      log: (line) => log.push(line),
    });
    const noise = (seed: number) => new Map([[1, tinyDelta(0.5, seed)]]);
    const warmup = await scoreUploads(server, store, 1, noise(1));
    ok(warmup.held_loss_after > warmup.held_loss_before, "the noise raises the held-out loss");
    equal(warmup.applied, true, "warm-up has no rollback");
    equal(server.modelVersion, 1);
    const before = server.model;

    const reply = await scoreUploads(server, store, 2, noise(2));
    equal(reply.scores[1].accepted, true);
    equal(reply.applied, false);
    equal(reply.model_version, 1);
    equal(reply.held_loss_after, reply.held_loss_before);
    const reason = /^rolled back: the proposal did not lower the held-out loss \((\S+) → (\S+)\)$/
      .exec(reply.reason ?? "");
    ok(reason !== null, String(reply.reason));
    ok(Number(reason[2]) > Number(reason[1]));
    deepEqual(await server.scores(1), reply);
    equal(server.modelVersion, 1);
    assertSameWeights(server.model, before);
    deepEqual(await readHead(store, SCOPE, 0), { version: 1, checkpointVersion: 0 });
    equal(await store.get(publishedDeltaKey(SCOPE, 0, 2)), null);
    ok(await store.get(proposalKey(SCOPE, 0, 2)) !== null, "the proposal is kept (τaos)");
    ok(
      log.some((line) =>
        line.startsWith(`GenTRX round 2 scored: 1/1 accepted, not applied: ${reply.reason}`)
      ),
      log.join("\n"),
    );
  });
});

Deno.test("an upload that improves its own pages far more than the held-out books is flagged as overfitting, and only logged", async () => {
  await withBucket(async (root, kv) => {
    const { store, data } = await fillPages(root, { skewed: true });
    const log: string[] = [];
    const server = await GradientServer.open({
      ...tinyServer(kv, store, data),
      acceptAbove: -1000,
      log: (line) => log.push(line),
    });
    const assignments = await server.openRound(1, [1, 2]);
    for (const assignment of assignments) await server.delivered(1, assignment.uid);
    // uid 1 fits its own book hard; uid 2 sends no change.
    await runMinerWork(assignments[0], {
      dataStore: store,
      uploadStore: store,
      scope: SCOPE,
      aggregatorUid: 0,
      steps: 20,
      seqLen: 4,
      batchSize: 2,
      codec: PUBLISHED_CODEC,
      adamw: { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    });
    await store.put(gradientKey(SCOPE, 2, 1), encodeDelta(tinyDelta(0), { modelVersion: 0 }));
    await server.collect(1);
    const reply = await server.score(1);
    const fitted = reply.scores[1];
    ok(fitted.score_own > 3 * Math.max(fitted.score_held, 0) && fitted.score_own > 0);
    equal(fitted.overfitting, true);
    // Logged only: accepted on the held-out threshold, scored and ranked on score_held.
    equal(fitted.accepted, true);
    equal(fitted.score, fitted.score_held);
    equal(fitted.normalised, 1);
    equal(reply.scores[2].overfitting, false);
    ok(
      log.some((line) => line.includes("overfitting (logged only): uid 1 own ")),
      log.join("\n"),
    );
  });
});

Deno.test(`a full checkpoint every ${CHECKPOINT_EVERY_VERSIONS} versions: a fresh reader loads the newest checkpoint plus the deltas after it, bit for bit the aggregator's model`, async () => {
  await withBucket(async (root, kv) => {
    const { store, data } = await fillPages(root);
    const versions = CHECKPOINT_EVERY_VERSIONS + 1;
    // Warm-up applies every round, whatever the deltas do to the loss.
    const server = await GradientServer.open({ ...tinyServer(kv, store, data), warmupRounds: 10 });
    const models: GenTrxModel[] = [server.model];
    for (let round = 1; round <= versions; round++) {
      const reply = await scoreUploads(
        server,
        store,
        round,
        new Map([[1, tinyDelta(1e-3, round)]]),
      );
      equal(reply.applied, true);
      models.push(server.model);
    }
    equal(server.modelVersion, versions);
    const keys = async (folder: string) =>
      (await store.list(`${scopePrefix(SCOPE)}${folder}/0/`)).map((o) => o.key).sort();
    deepEqual(await keys("checkpoints"), [
      checkpointKey(SCOPE, 0, 0),
      checkpointKey(SCOPE, 0, CHECKPOINT_EVERY_VERSIONS),
    ]);
    deepEqual(
      await keys("deltas"),
      [
        deltaHeadKey(SCOPE, 0),
        ...Array.from({ length: versions }, (_, i) => publishedDeltaKey(SCOPE, 0, i + 1)),
      ].sort(),
    );
    deepEqual(await readHead(store, SCOPE, 0), {
      version: versions,
      checkpointVersion: CHECKPOINT_EVERY_VERSIONS,
    });
    // A version before the newest checkpoint comes from the one before it.
    const older = await loadPublishedModel(store, SCOPE, 0, CHECKPOINT_EVERY_VERSIONS - 1);
    assertSameWeights(older!.model, models[CHECKPOINT_EVERY_VERSIONS - 1]);
    // The head needs only the newest checkpoint and the deltas after it.
    for (let version = 1; version <= CHECKPOINT_EVERY_VERSIONS; version++) {
      await store.delete(publishedDeltaKey(SCOPE, 0, version));
    }
    const fresh = await loadPublishedModel(store, SCOPE, 0);
    equal(fresh?.version, versions);
    assertSameWeights(fresh!.model, server.model);
  });
});

Deno.test("a validator that dies after publishing a round but before recording it rescores it on the round's model and does not publish again", async () => {
  await withBucket(async (root) => {
    const { store, data } = await fillPages(root);
    const kvPath = `${root}/validator.kv`;
    let kv = await Deno.openKv(kvPath);
    try {
      const options = () => ({ ...tinyServer(kv, store, data), warmupRounds: 1 });
      const server = await GradientServer.open(options());
      for (const assignment of await server.openRound(1, [1, 2])) {
        await server.delivered(1, assignment.uid);
        const delta = tinyDelta(1e-2, assignment.uid);
        const bytes = encodeDelta(delta, { modelVersion: 0, codec: PUBLISHED_CODEC });
        await store.put(gradientKey(SCOPE, assignment.uid, 1), bytes);
      }
      await server.collect(1);
      // The KV as it was before scoring: what a crash after publishing leaves.
      kv.close();
      await Deno.copyFile(kvPath, `${kvPath}.unscored`);
      kv = await Deno.openKv(kvPath);
      const first = await GradientServer.open(options());
      const scored = await first.score(1);
      equal(scored.applied, true);

      kv.close();
      await Deno.rename(`${kvPath}.unscored`, kvPath);
      kv = await Deno.openKv(kvPath);
      const restarted = await GradientServer.open(options());
      equal(restarted.modelVersion, 1);
      equal((await restarted.rounds.round(1))?.scored, false);
      deepEqual(await restarted.score(1), scored);
      assertSameWeights(restarted.model, first.model);
      deepEqual(await readHead(store, SCOPE, 0), { version: 1, checkpointVersion: 0 });
    } finally {
      kv.close();
    }
  });
});

Deno.test("a round whose model was replaced while it was open is scored but not applied", async () => {
  await withBucket(async (root, kv) => {
    const { store, data } = await fillPages(root);
    const server = await GradientServer.open({ ...tinyServer(kv, store, data), warmupRounds: 2 });
    // Both rounds open on v0 before either is scored.
    for (const round of [1, 2]) {
      await server.openRound(round, [1]);
      await server.delivered(round, 1);
      const bytes = encodeDelta(tinyDelta(1e-3, round), {
        modelVersion: 0,
        codec: PUBLISHED_CODEC,
      });
      await store.put(gradientKey(SCOPE, 1, round), bytes);
      await server.collect(round);
    }
    equal((await server.score(1)).applied, true);
    const second = await server.score(2);
    equal(second.scores[1].accepted, true);
    equal(second.applied, false);
    equal(second.reason, "the model moved to v1 while the round was open");
    equal(server.modelVersion, 1);
  });
});
