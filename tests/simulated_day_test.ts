/**
 * Issue 6's acceptance run: a whole simulated day (τaos's 24 h simulation)
 * with the demo miners over real WebSockets and signatures ends on weights
 * that rank the miners as their realised risk-adjusted PnL does.
 *
 * The reference is computed here, independently of the scorer: per miner,
 * the Sortino-style ratio mean / downside deviation of its realised PnL per
 * publish step, over the scoring lookback (the last 3 h of the day, what
 * the ledger keeps and Kappa-3 looks at). The example agents have small
 * edges, so much of the gap between two of them can be luck: a pair is
 * ranked only when it is statistically clear, i.e. when the better miner's
 * ratio stays ahead in at least {@link CONFIDENCE} of the resamples of a
 * seeded, paired moving-block bootstrap over the same steps — both over the
 * whole lookback and over it without its last {@link EMA_MEMORY_STEPS}
 * steps, because the weights are an EMA of shaped scores with about that
 * much memory and lag behind a recent overtaking. Such pairs must be ordered
 * the same way by their trading scores and by the u16 weights set_weights
 * carried at the day's last round. (Pairs within noise of each other may
 * come out either way: Kappa-3 is not the same ratio as the reference.)
 * Latencies follow the wall clock, so runs differ in detail, not in this.
 */
import { equal, ok } from "node:assert/strict";
import { parseConfig } from "@/server/config.ts";
import { startValidator } from "@/server/validator.ts";
import type { FinishedSimulation } from "@/server/validator_loop.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

const DAY_SECONDS = 86_400;
/** Share of resamples in which a pair must keep its order to be ranked. */
const CONFIDENCE = 0.995;
/** Bootstrap blocks keep a minute of steps together (fills and PnL cluster). */
const BLOCK_STEPS = 60;
const RESAMPLES = 1000;
const BOOTSTRAP_SEED = 6;
/** About the weights' EMA memory: α = 0.0083 per scoring every 10 steps. */
const EMA_MEMORY_STEPS = 1200;

/**
 * Each miner's realised PnL per publish step (summed over books) on one
 * timeline: every step any of them observed, 0 where a miner had none.
 */
function pnlSeries(day: FinishedSimulation, uids: readonly number[]): Map<number, number[]> {
  const byUid = new Map(uids.map((uid) => [
    uid,
    new Map(
      day.ledger.history(uid).map((observation) => [
        observation.timestampNs,
        [...observation.pnlByBook.values()].reduce((sum, pnl) => sum + pnl, 0),
      ]),
    ),
  ]));
  const steps = [...new Set([...byUid.values()].flatMap((pnl) => [...pnl.keys()]))]
    .sort((a, b) => a - b);
  return new Map(
    [...byUid].map(([uid, pnl]) => [uid, steps.map((step) => pnl.get(step) ?? 0)]),
  );
}

/** mean / downside deviation (the Sortino ratio with a zero target). */
function riskAdjusted(perStep: readonly number[]): number {
  let sum = 0;
  let downside = 0;
  for (const pnl of perStep) {
    sum += pnl;
    if (pnl < 0) downside += pnl * pnl;
  }
  const mean = sum / perStep.length;
  const deviation = Math.sqrt(downside / perStep.length);
  return deviation === 0 ? (mean > 0 ? Infinity : 0) : mean / deviation;
}

/**
 * Resampled ratios per miner: each resample draws the same blocks of steps
 * for every miner (they traded in one market), so pairs are compared on
 * like for like.
 */
function bootstrapRatios(series: Map<number, number[]>): Map<number, number[]> {
  const random = new SeededRandom(BOOTSTRAP_SEED);
  const length = [...series.values()][0].length;
  const ratios = new Map([...series.keys()].map((uid) => [uid, [] as number[]]));
  const picked = new Array<number>(length);
  for (let resample = 0; resample < RESAMPLES; resample++) {
    for (let filled = 0; filled < length;) {
      const start = random.integer(0, length - BLOCK_STEPS + 1);
      for (let i = 0; i < BLOCK_STEPS && filled < length; i++) picked[filled++] = start + i;
    }
    for (const [uid, pnl] of series) ratios.get(uid)!.push(riskAdjusted(picked.map((i) => pnl[i])));
  }
  return ratios;
}

Deno.test({
  name: "a simulated day with the demo miners ends on weights ranked like their risk-adjusted PnL",
  // A day is 86,400 rounds: a few minutes at full speed.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "marketforge-day-" });
    const validator = await startValidator(
      parseConfig([
        "--port",
        "0",
        "--data",
        dataDir,
        "--books",
        "1",
        "--seed",
        "3",
        "--step-ms",
        "1",
        "--grace-seconds",
        "0",
        "--response-timeout-ms",
        "500",
        "--demo-miners",
        "4",
        "--checkpoint-rounds",
        "0",
        "--sim-duration-seconds",
        String(DAY_SECONDS),
        // Trading alone: the forecast pool's share returns to trading (issue 10 tests it).
        "--forecast-books",
        "none",
      ], () => undefined),
      () => {},
    );
    try {
      const deadline = Date.now() + 20 * 60_000;
      while (!validator.loop.finishedSimulation) {
        if (Date.now() > deadline) {
          throw new Error(`The day did not end: round ${validator.loop.roundNumber}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const day = validator.loop.finishedSimulation;
      equal(day.index, 0);
      const scoring = day.scoring!;
      const uids = scoring.scores.map((score) => score.uid);
      equal(uids.length, 4, "every demo miner was funded and scored");
      const weightOf = new Map(
        scoring.weights.uids.map((uid, i) => [uid, scoring.weights.weights[i]]),
      );
      const series = pnlSeries(day, uids);
      const resampled = bootstrapRatios(series);
      const earlier = bootstrapRatios(
        new Map([...series].map(([uid, pnl]) => [uid, pnl.slice(0, -EMA_MEMORY_STEPS)])),
      );
      const rows = uids.map((uid) => ({
        ...scoring.scores.find((score) => score.uid === uid)!,
        reference: riskAdjusted(series.get(uid)!),
        weight: weightOf.get(uid) ?? 0,
        lastHours: day.ledger.history(uid).filter((o) => o.pnlByBook.size > 0).length,
      }));
      console.log(JSON.stringify(rows));
      for (const row of rows) {
        ok(row.fills > 100, `uid ${row.uid} traded through the day: ${row.fills} fills`);
        ok(row.lastHours > 0, `uid ${row.uid} still traded in the last hours`);
      }
      const aheadShare = (a: number, b: number) =>
        Math.min(
          ...[resampled, earlier].map((ratios) =>
            ratios.get(a)!.filter((ratio, i) => ratio > ratios.get(b)![i]).length / RESAMPLES
          ),
        );
      console.log(
        "share of resamples where the row's uid is ahead (lower of the two windows):",
        rows.map((a) => `${a.uid}: ${rows.map((b) => aheadShare(a.uid, b.uid)).join(" ")}`),
      );
      let decided = 0;
      for (const a of rows) {
        for (const b of rows) {
          const ahead = aheadShare(a.uid, b.uid);
          if (ahead < CONFIDENCE) continue;
          decided++;
          const pair = `uid ${a.uid} (risk-adjusted ${a.reference.toFixed(4)}) vs uid ${b.uid} ` +
            `(${b.reference.toFixed(4)}), ahead in ${(100 * ahead).toFixed(1)} % of resamples`;
          ok(a.trading > b.trading, `${pair}: trading scores ${a.trading} vs ${b.trading}`);
          ok(a.weight > b.weight, `${pair}: weights ${a.weight} vs ${b.weight}`);
        }
      }
      // A day in which no pair is clearly apart has nothing to rank (seen once in six runs).
      console.log(`${decided} pairs clearly apart and ranked`);
    } finally {
      await validator.shutdown();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
