import { equal, ok } from "node:assert/strict";
import { GenTrxPool } from "@/server/gentrx/gentrx_pool.ts";
import { openBackgroundMarket } from "@/server/sim/background_market.ts";

const SMALL = { init: { count: 100 }, stylized: { count: 200 }, noise: { count: 200 } };

Deno.test("GenTrxPool: market steps feed pages, a round opens, the demo trainers' worker uploads, scores reach the pool input, a new simulation abandons the open round", async () => {
  const root = await Deno.makeTempDir({ prefix: "mf_gentrx_pool_" });
  const kv = await Deno.openKv(":memory:");
  const background = await openBackgroundMarket({ books: 4, seed: 4, config: SMALL });
  const engine = background.engine;
  const lines: string[] = [];
  const pool = await GenTrxPool.open({
    settings: {
      roundSteps: 20,
      demoTrainers: 2,
      rowsPerPage: 200,
      store: { kind: "folder", path: `${root}/objects` },
      apiKey: undefined,
    },
    kv,
    validatorUid: 0,
    // A long wall deadline (20 steps × 3 s × 0.8) so a loaded machine still makes it.
    stepMs: 3000,
    connectedUids: () => [1, 2, 7],
    log: (line) => lines.push(line),
  });
  try {
    equal(pool.poolInput(8), undefined);
    let scored = null;
    for (let step = 1; step <= 400 && scored === null; step++) {
      pool.onStep(engine.step(engine.nowNs + 1_000_000_000), engine, "sim-a");
      await pool.settled();
      if (step > 40) await new Promise((resolve) => setTimeout(resolve, 50));
      scored = await pool.server.scores();
    }
    ok(scored !== null, `a round was scored: ${lines.join(" | ")}`);
    equal(scored.n_scored, 2); // the first two connected UIDs train
    ok(scored.scores[1].accepted && scored.scores[2].accepted, JSON.stringify(scored.scores));
    const input = pool.poolInput(8)!;
    ok(input.scores[1] > 0 || input.scores[2] > 0);
    equal(input.scores[7], 0);
    equal(input.participation, 1);
    // Run into the next round, then start a new simulation: its pages go and the round is abandoned.
    let open = null;
    for (let step = 0; step < 200 && open === null; step++) {
      pool.onStep(engine.step(engine.nowNs + 1_000_000_000), engine, "sim-a");
      await pool.settled();
      const latest = await pool.server.rounds.latestRound();
      if (latest !== null && !latest.scored) open = latest.round;
    }
    ok(open !== null);
    pool.onStep(engine.step(engine.nowNs + 1_000_000_000), engine, "sim-b");
    await pool.settled();
    equal((await pool.server.rounds.round(open))?.scored, true);
    equal((await pool.data.pages()).length, 0);
  } finally {
    await pool.stop();
    engine.close();
    kv.close();
    await Deno.remove(root, { recursive: true });
  }
});
