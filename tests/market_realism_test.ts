/**
 * Realism gate (issue 4; shared/reference/perf.md §3, §6.7): the background
 * market on a fixed seed, books pooled for enough one-minute returns, must
 * show the stylized facts — no linear autocorrelation beyond lag 1, heavy
 * tails (excess kurtosis > 1, Hill α in [2, 5]), volatility clustering,
 * kurtosis falling with the horizon, positive order-sign autocorrelation —
 * and its books must never cross.
 */
import { equal, ok } from "node:assert/strict";
import { decodeEvents, RECORD_BYTES } from "@/engine/_book_layout.ts";
import type { TradeEvent } from "@/engine/book_records.ts";
import { resolveSimConfig } from "@/engine/sim/sim_config.ts";
import { stylizedFacts } from "@/engine/sim/stylized_facts.ts";
import { TradeFlowBuilder } from "@/engine/sim/trade_flow.ts";
import { NativeSimulation, simParams } from "@/server/sim/native_simulation.ts";

const SEED = 7;
const BOOKS = 32;
const HOURS = 6;
/** How far a mid may sit from its book's fundamental: 1 % at the median minute, 6 % at the 99th percentile. */
const MAX_MEDIAN_GAP = 0.01;
const MAX_P99_GAP = 0.06;
/** RecordKind::kTrade (native/exchange/records.h). */
const TRADE = 2;

Deno.test(`the background market shows the stylized facts (seed ${SEED}, ${BOOKS} books × ${HOURS} h pooled)`, async () => {
  const seconds = HOURS * 3600;
  const config = resolveSimConfig(await simParams(), {
    // The first hours of τaos's simulated day (the fundamental's scale is the whole day).
    simulation: { seed: SEED, books: BOOKS, threads: 2 },
  });
  const simulation = await NativeSimulation.create(config.values);
  const mids = Array.from({ length: BOOKS }, () => new Float64Array(seconds));
  /** |ln(mid / fundamental)| of every book at the end of every simulated minute. */
  const gaps: number[] = [];
  const fundamentals = new Float64Array(BOOKS);
  const flow = new TradeFlowBuilder(BOOKS, seconds);
  const row = new Float64Array(BOOKS);
  try {
    simulation.readEvents();
    for (let second = 0; second < seconds; second++) {
      simulation.step();
      const records = simulation.readEvents();
      for (let at = 0; at < records.length; at += RECORD_BYTES) {
        if (records[at] !== TRADE) continue;
        flow.add(decodeEvents(records.subarray(at, at + RECORD_BYTES), 1)[0] as TradeEvent);
      }
      simulation.mids(row);
      row.forEach((mid, book) => mids[book][second] = mid);
      // Never crossed (and every other exchange invariant), checked each simulated minute.
      if (second % 60 === 59) {
        equal(simulation.check(), "", `at ${second + 1} s`);
        simulation.fundamentals(fundamentals);
        row.forEach((mid, book) => gaps.push(Math.abs(Math.log(mid / fundamentals[book]))));
      }
    }
  } finally {
    simulation.close();
  }
  const trades = flow.finish();
  const report = stylizedFacts({
    mids,
    orderSigns: trades.orderSigns,
    volumes: trades.volumeLots,
  });
  for (const check of report.checks) {
    console.log(
      `${
        check.pass === false ? "FAIL" : "ok  "
      } ${check.statistic}: ${check.value} (target ${check.target})`,
    );
  }
  ok(report.returns.count >= 10_000, `${report.returns.count} one-minute returns`);
  // The books price the fundamental: no drift away from it, no crash.
  gaps.sort((a, b) => a - b);
  const medianGap = gaps[Math.floor(gaps.length / 2)];
  const worstGap = gaps[Math.floor(gaps.length * 0.99)];
  console.log(
    `mid vs fundamental: median |ln| ${medianGap.toFixed(4)}, p99 ${worstGap.toFixed(4)}`,
  );
  ok(medianGap < MAX_MEDIAN_GAP, `median |ln(mid/fundamental)| ${medianGap} ≥ ${MAX_MEDIAN_GAP}`);
  ok(worstGap < MAX_P99_GAP, `p99 |ln(mid/fundamental)| ${worstGap} ≥ ${MAX_P99_GAP}`);
  const failed = report.checks.filter((check) => check.gated && check.pass === false);
  equal(failed.map((check) => check.id).join(", "), "");
});
