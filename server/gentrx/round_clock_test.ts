import { deepEqual, equal } from "node:assert/strict";
import { RoundClock } from "@/server/gentrx/round_clock.ts";

const SETTINGS = { roundSteps: 20, roundBlocks: 25, stepMs: 3000 };

/** The rounds a clock opens over `ticks` of (step, position). */
function opened(clock: RoundClock, ticks: [number, number | null][]): [number, number][] {
  const rounds: [number, number][] = [];
  for (const [step, position] of ticks) {
    const round = clock.due(position);
    if (round !== null) rounds.push([step, round]);
  }
  return rounds;
}

Deno.test("RoundClock counting steps (the local network): a round every roundSteps steps, numbered step / roundSteps", () => {
  const clock = new RoundClock("steps", SETTINGS);
  equal(clock.unit, "steps");
  equal(clock.periodMs, 60_000);
  const ticks = Array.from({ length: 65 }, (_, i) => [i + 1, i + 1] as [number, number]);
  deepEqual(opened(clock, ticks), [[20, 1], [40, 2], [60, 3]]);
});

Deno.test("RoundClock counting blocks (subtensor): a round when the best block enters a new window of roundBlocks, numbered block // roundBlocks, whatever the steps", () => {
  const clock = new RoundClock("blocks", SETTINGS);
  equal(clock.unit, "blocks");
  equal(clock.periodMs, 300_000); // 25 blocks of 12 s (τaos: a ~5 min round)
  // Steps are faster than blocks: the same block is seen on many steps.
  const ticks: [number, number][] = [];
  for (let step = 1, block = 1_010; block < 1_080; step++) {
    ticks.push([step, block]);
    if (step % 3 === 0) block++;
  }
  const rounds = opened(clock, ticks);
  deepEqual(rounds.map(([, round]) => round), [41, 42, 43]);
  // Each opens on the first step that sees the window's first block.
  deepEqual(rounds.map(([step]) => ticks.find(([s]) => s === step)![1]), [1_025, 1_050, 1_075]);
  // The window the validator started in opened nothing; every 20th step opened nothing.
  equal(rounds.some(([step]) => step === 20), false);
});

Deno.test("RoundClock counting blocks: --gentrx-round-blocks sets the window; blocks skipped between two steps open the newest window once; no block heard yet opens nothing", () => {
  const clock = new RoundClock("blocks", { ...SETTINGS, roundBlocks: 10 });
  equal(clock.periodMs, 120_000);
  deepEqual(
    opened(clock, [[1, null], [2, 101], [3, 109], [4, 180], [5, 180], [6, 189], [7, 200]]),
    [[4, 18], [7, 20]],
  );
});
