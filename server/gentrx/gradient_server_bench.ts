/**
 * What scoring a GenTRX round costs the validator (issue 9), at the demo's
 * settings (`deno task start -- --gentrx`: the tiny model, gentrx_pool.ts's
 * 16 × 4 batches, 2000-row pages, 3 pages per miner, 2 held-out pages) with
 * 3 miners that each trained 6 steps on a real native market's pages:
 *
 * - `gentrx.score_round_ms`: wall time of `GradientServer.score`, which
 *   runs the forward passes in a worker (round_worker.ts).
 * - `gentrx.score_round_stall_ms`: the longest the validator's event loop
 *   waited during it (a 1 ms timer's longest gap); the validator steps the
 *   market every 100 ms. `ratio` is to the same evaluation run on the
 *   validator's thread (RoundEvaluator directly), as the server did before;
 *   `idle_stall_ms` is the longest wait of an idle event loop over as long,
 *   the machine's own noise (a loaded machine deschedules the thread).
 *
 * Medians over `ROUNDS` rounds.
 *
 * @module
 */
import { type Figure, median, report } from "@/engine/bench_report.ts";
import { gradientKey } from "@/engine/gentrx/store/data_keys.ts";
import { runMinerWork } from "@/engine/gentrx/store/miner_work.ts";
import { SCOPE, tinyModelOptions } from "@/server/gentrx/_gradient_server_fixture.ts";
import { GradientServer } from "@/server/gentrx/gradient_server.ts";
import { marketTick } from "@/server/gentrx/market_tick.ts";
import { RoundEvaluator } from "@/server/gentrx/round_evaluator.ts";
import { TrainingData } from "@/server/gentrx/training_data.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";

/** gentrx_pool.ts's scoring batches and gentrx_config.ts's page size. */
const BATCH = { seqLen: 16, batchSize: 4 };
const ROWS_PER_PAGE = 2000;
const MINERS = [1, 2, 3];
/** server/miner/gentrx_trainer.ts's defaults. */
const MINER_STEPS = 6;
const MINER_ADAMW = { lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
const ROUNDS = 5;
/** Enough pages for every miner's 3 and the held-out 2 without sharing. */
const PAGES_NEEDED = 16;

/** Runs `work` and returns its result with its wall time and the event loop's longest wait. */
async function timed<T>(work: () => Promise<T>) {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  const result = await work();
  const ended = performance.now();
  clearInterval(timer);
  return { result, ms: ended - started, stallMs: Math.max(stallMs, ended - last) };
}

const root = await Deno.makeTempDir({ prefix: "mf_gentrx_bench_" });
const kv = await Deno.openKv(":memory:");
const store = new LocalFolderStore(root);
const data = new TrainingData({ store, scope: SCOPE, validatorUid: 0, rowsPerPage: ROWS_PER_PAGE });
const background = await openBackgroundMarket({ books: 4, seed: 1 });
const engine = background.engine;
while ((await data.pages()).length < PAGES_NEEDED) {
  await data.ingest(marketTick("bench", engine, engine.step(engine.nowNs + 1_000_000_000)));
}
engine.close();
let clockMs = 0;
const server = await GradientServer.open({
  ...tinyModelOptions(kv, store, data),
  now: () => clockMs,
  ...BATCH,
});
const scoreMs: number[] = [];
const stallMs: number[] = [];
const idleStallMs: number[] = [];
const inThreadStallMs: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const assignments = await server.openRound(round, MINERS);
  for (const assignment of assignments) {
    await server.delivered(round, assignment.uid);
    await runMinerWork(assignment, {
      dataStore: store,
      uploadStore: store,
      scope: SCOPE,
      aggregatorUid: 0,
      steps: MINER_STEPS,
      adamw: MINER_ADAMW,
      ...BATCH,
    });
  }
  await server.collect(round);
  const record = (await server.rounds.round(round))!;
  const base = server.model;
  const scored = await timed(() => server.score(round));
  scoreMs.push(scored.ms);
  stallMs.push(scored.stallMs);
  // What the event loop waits anyway on this machine, over as long.
  const idle = await timed(() => new Promise((resolve) => setTimeout(resolve, scored.ms)));
  idleStallMs.push(idle.stallMs);
  // The same evaluation on this thread, as the server ran it before the worker.
  const inThread = await timed(async () => {
    const evaluator = new RoundEvaluator(base, record.modelVersion, BATCH);
    const read = async (keys: readonly string[]) => {
      for (const key of keys) evaluator.addPages([{ key, bytes: (await store.get(key))! }]);
    };
    await read(record.heldOutPages);
    await evaluator.baseLoss(record.heldOutPages);
    for (const assignment of assignments) {
      await read(assignment.pages);
      const bytes = (await store.get(gradientKey(SCOPE, assignment.uid, round)))!;
      await evaluator.evaluateUpload(assignment.uid, bytes, assignment.pages, record.heldOutPages);
    }
    await evaluator.propose(MINERS, record.modelVersion + 1, record.heldOutPages);
  });
  inThreadStallMs.push(inThread.stallMs);
  console.error(
    `round ${round}: score ${scored.ms.toFixed(0)} ms, longest stall ${
      scored.stallMs.toFixed(0)
    } ms (idle ${idle.stallMs.toFixed(0)} ms; on the validator's thread: ${
      inThread.ms.toFixed(0)
    } ms, stall ${inThread.stallMs.toFixed(0)} ms), applied ${scored.result.applied}`,
  );
  clockMs += 1;
}
kv.close();
await Deno.remove(root, { recursive: true });

const settings = { miners: MINERS.length, rounds: ROUNDS, config: "tiny" };
const scoreFigure: Figure & typeof settings = {
  bench: "gentrx.score_round_ms",
  value: Math.round(median(scoreMs)),
  unit: "ms",
  ...settings,
};
report(scoreFigure);
const stall = median(stallMs);
const stallFigure: Figure & typeof settings & { idle_stall_ms: number } = {
  bench: "gentrx.score_round_stall_ms",
  value: Math.round(stall),
  unit: "ms",
  ratio: stall / median(inThreadStallMs),
  ratio_to: "in_thread",
  idle_stall_ms: Math.round(median(idleStallMs)),
  ...settings,
};
report(stallFigure);
