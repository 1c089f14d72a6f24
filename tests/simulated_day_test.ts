/**
 * Issue 6's acceptance run: a whole simulated day (τaos's 24 h simulation)
 * with the demo miners over real WebSockets and signatures ends on weights
 * that rank the miners as their realised risk-adjusted PnL does.
 *
 * The reference is computed here, independently of the scorer: per miner,
 * the Sortino-style ratio mean / downside deviation of its realised PnL per
 * publish step, over the scoring lookback (the last 3 h of the day, what
 * the ledger keeps and Kappa-3 looks at). Miners whose references are
 * clearly apart must be ordered the same way by their trading scores and
 * by the u16 weights set_weights carried at the day's last round.
 * Latencies follow the wall clock, so runs differ in detail, not in this.
 */
import { equal, ok } from "node:assert/strict";
import { parseConfig } from "@/server/config.ts";
import { startValidator } from "@/server/validator.ts";
import type { FinishedSimulation } from "@/server/validator_loop.ts";

const DAY_SECONDS = 86_400;
/**
 * Pairs whose reference differs by less than this share of the spread of
 * all references may be ordered either way: the weights are an EMA of
 * shaped scores (about 20 simulated minutes of memory), so a recent small
 * overtaking has not shown in them yet, and Kappa-3 is not the same ratio.
 */
const CLEAR_GAP = 0.35;

function riskAdjustedPnl(day: FinishedSimulation, uid: number): number {
  const perStep = day.ledger.history(uid).map((observation) =>
    [...observation.pnlByBook.values()].reduce((sum, pnl) => sum + pnl, 0)
  );
  const mean = perStep.reduce((sum, pnl) => sum + pnl, 0) / perStep.length;
  const downside = Math.sqrt(
    perStep.reduce((sum, pnl) => sum + Math.min(pnl, 0) ** 2, 0) / perStep.length,
  );
  return downside === 0 ? (mean > 0 ? Infinity : 0) : mean / downside;
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
      const rows = uids.map((uid) => ({
        ...scoring.scores.find((score) => score.uid === uid)!,
        reference: riskAdjustedPnl(day, uid),
        weight: weightOf.get(uid) ?? 0,
        lastHours: day.ledger.history(uid).filter((o) => o.pnlByBook.size > 0).length,
      }));
      console.log(JSON.stringify(rows));
      for (const row of rows) {
        ok(row.fills > 100, `uid ${row.uid} traded through the day: ${row.fills} fills`);
        ok(row.lastHours > 0, `uid ${row.uid} still traded in the last hours`);
      }
      const references = rows.map((row) => row.reference);
      const gap = CLEAR_GAP * (Math.max(...references) - Math.min(...references));
      let decided = 0;
      for (const a of rows) {
        for (const b of rows) {
          if (a.reference - b.reference <= gap) continue;
          decided++;
          const pair = `uid ${a.uid} (risk-adjusted ${a.reference.toFixed(4)}) vs uid ${b.uid} ` +
            `(${b.reference.toFixed(4)})`;
          ok(a.trading > b.trading, `${pair}: trading scores ${a.trading} vs ${b.trading}`);
          ok(a.weight > b.weight, `${pair}: weights ${a.weight} vs ${b.weight}`);
        }
      }
      ok(decided >= 3, `the miners' results are far enough apart to rank (${decided} pairs)`);
    } finally {
      await validator.shutdown();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
