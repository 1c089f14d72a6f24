/**
 * A local GenTRX training pool end to end, against a real S3-protocol
 * server (s3rver on 127.0.0.1) and Deno KV in a file: a native background
 * market feeds the data pipeline, the gradient server opens rounds, three
 * miners work them — honest (trains and uploads), lazy (uploads seeded
 * noise), late (uploads after the deadline) — and the server scores,
 * aggregates and publishes. Mid-way the validator's KV is closed and the
 * server reopened: the round completes.
 */
import { equal, ok } from "node:assert/strict";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import {
  DEFAULT_CODEC,
  encodeDelta,
  ErrorFeedback,
} from "@/engine/gentrx/compression/delta_codec.ts";
import { meanLoss } from "@/engine/gentrx/compression/miner_delta.ts";
import { gradientKey } from "@/engine/gentrx/store/data_keys.ts";
import { runMinerWork } from "@/engine/gentrx/store/miner_work.ts";
import { loadPublishedModel } from "@/engine/gentrx/store/published_model.ts";
import { S3ObjectStore } from "@/engine/gentrx/store/s3_object_store.ts";
import { decodeTrainingPage, pagesToBatches } from "@/engine/gentrx/store/training_page.ts";
import { SCOPE, tinyDelta, tinyModelOptions } from "@/server/gentrx/_gradient_server_fixture.ts";
import { GradientServer, type GradientServerOptions } from "@/server/gentrx/gradient_server.ts";
import { marketTick } from "@/server/gentrx/market_tick.ts";
import { TrainingData } from "@/server/gentrx/training_data.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";
import { startS3rver } from "@/tests/gentrx_s3rver.ts";

const SMALL = { init: { count: 100 }, stylized: { count: 200 }, noise: { count: 200 } };
const HONEST = 1, LAZY = 2, LATE = 3;
const ROUNDS = 3;
const ROUND_MS = 60_000;
const BATCH = { seqLen: 16, batchSize: 4 };
const MINER_STEPS = 6;
/** A faster learning rate than τaos's 1e-4, so six steps show. */
const MINER_ADAMW = { lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

Deno.test("a GenTRX round: honest scores highest, noise is rejected, late scores zero, held-out loss falls, a restart mid-round loses nothing", async () => {
  const s3 = await startS3rver(["validator", "miner-1", "miner-2", "miner-3"]);
  const kvDir = await Deno.makeTempDir({ prefix: "mf_gentrx_kv_" });
  const kvPath = `${kvDir}/validator.kv`;
  const background = await openBackgroundMarket({ books: 4, seed: 9, config: SMALL });
  const engine = background.engine;
  const bucket = (name: string) => new S3ObjectStore({ ...s3.credentials, bucket: name });
  const store = bucket("validator");
  const minerStores = new Map([HONEST, LAZY, LATE].map((uid) => [uid, bucket(`miner-${uid}`)]));
  let clockMs = 1_000_000;
  const data = new TrainingData({ store, scope: SCOPE, validatorUid: 0, rowsPerPage: 300 });
  const step = async (steps: number) => {
    for (let s = 0; s < steps; s++) {
      const output = engine.step(engine.nowNs + 1_000_000_000);
      await data.ingest(marketTick("e2e", engine, output));
    }
  };
  let kv = await Deno.openKv(kvPath);
  const serverOptions = (): GradientServerOptions => ({
    ...tinyModelOptions(kv, store, data, 3),
    minerStore: (uid) => minerStores.get(uid)!,
    roundMs: ROUND_MS,
    warmupRounds: 0,
    acceptAbove: 0,
    now: () => clockMs,
    ...BATCH,
  });
  const feedback = new ErrorFeedback();
  try {
    let server = await GradientServer.open(serverOptions());
    await step(40);
    const initial = server.model;
    const heldLosses: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const assignments = await server.openRound(round, [HONEST, LAZY, LATE]);
      equal(assignments.length, 3);
      for (const a of assignments) ok(await server.delivered(round, a.uid));
      const work = (uid: number) => ({
        dataStore: store,
        uploadStore: minerStores.get(uid)!,
        scope: SCOPE,
        aggregatorUid: 0,
        steps: MINER_STEPS,
        adamw: MINER_ADAMW,
        ...BATCH,
      });
      const honest = await runMinerWork(assignments[0], { ...work(HONEST), feedback });
      ok(honest.lossAfter < honest.lossBefore, `honest trained: ${JSON.stringify(honest)}`);
      // The lazy miner uploads seeded noise instead of training.
      await minerStores.get(LAZY)!.put(
        gradientKey(SCOPE, LAZY, round),
        encodeDelta(tinyDelta(0.05, 100 + round), {
          modelVersion: assignments[1].modelVersion,
          codec: DEFAULT_CODEC,
        }),
      );
      equal(await server.collect(round), 2);
      equal(await server.ready(round), false);
      if (round === 2) {
        // The validator dies mid-round and comes back on the same KV file and bucket.
        kv.close();
        kv = await Deno.openKv(kvPath);
        server = await GradientServer.open(serverOptions());
        equal((await server.rounds.assignment(round, HONEST))?.state, "GRADIENT_IN");
        equal((await server.rounds.assignment(round, LATE))?.state, "DELIVERED");
      }
      clockMs += ROUND_MS + 1;
      await runMinerWork(assignments[2], work(LATE)); // after the deadline
      const reply = await server.poll(round);
      ok(reply !== null, `round ${round} scored`);
      const scores = reply.scores;
      ok(scores[HONEST].accepted, `honest accepted: ${JSON.stringify(scores[HONEST])}`);
      ok(scores[HONEST].score > 0);
      equal(scores[LAZY].accepted, false, `lazy rejected: ${JSON.stringify(scores[LAZY])}`);
      ok(scores[HONEST].score > scores[LAZY].score);
      equal(scores[LATE].score, 0);
      equal(scores[LATE].reason, "no gradient by the deadline");
      ok(scores[HONEST].ema > scores[LAZY].ema && scores[LAZY].ema === scores[LATE].ema);
      ok(reply.applied, `round ${round} applied`);
      ok(reply.held_loss_after < reply.held_loss_before);
      equal(reply.model_version, round);
      heldLosses.push(reply.held_loss_after);
      await step(25); // forward data for the next round
    }
    // The published model (rebuilt from the bucket) is the server's and beats the start.
    const published = await loadPublishedModel(store, SCOPE, 0);
    equal(published?.version, ROUNDS);
    const lastHeld = (await server.rounds.round(ROUNDS))!.heldOutPages;
    const pages = await Promise.all(
      lastHeld.map(async (key) => decodeTrainingPage((await store.get(key))!)),
    );
    const batches = pagesToBatches(pages, TINY_GENTRX_CONFIG.tokenizer, BATCH);
    const before = meanLoss(initial, batches);
    const after = meanLoss(published!.model, batches);
    equal(after, meanLoss(server.model, batches));
    ok(after < before, `held-out loss ${before} → ${after}`);
    console.log(
      `GenTRX e2e: held-out loss ${before.toFixed(4)} → ${
        after.toFixed(4)
      } over ${ROUNDS} rounds; per round ${heldLosses.map((l) => l.toFixed(4)).join(", ")}`,
    );
    const emas = await server.trainingEmas();
    ok(emas.get(HONEST)! > 0 && emas.get(LAZY) === 0 && emas.get(LATE) === 0);
  } finally {
    kv.close();
    engine.close();
    await s3.close();
    await Deno.remove(kvDir, { recursive: true });
  }
});
