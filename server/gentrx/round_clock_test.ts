import { deepEqual, equal } from "node:assert/strict";
import { ROUND_BLOCKS, RoundClock } from "@/server/gentrx/round_clock.ts";

const SETTINGS = { roundSteps: 20, stepMs: 3000 };

/** The rounds a clock opens over `ticks` of (step, block). */
function opened(clock: RoundClock, ticks: [number, number | null][]): [number, number][] {
  const rounds: [number, number][] = [];
  for (const [step, block] of ticks) {
    const round = clock.due(step, block);
    if (round !== null) rounds.push([step, round]);
  }
  return rounds;
}

Deno.test("RoundClock without blocks (the local network): a round every roundSteps steps, numbered step / roundSteps", () => {
  const clock = new RoundClock(null, SETTINGS);
  equal(clock.unit, "steps");
  equal(clock.periodMs, 60_000);
  const ticks = Array.from({ length: 65 }, (_, i) => [i + 1, null] as [number, null]);
  deepEqual(opened(clock, ticks), [[20, 1], [40, 2], [60, 3]]);
});

Deno.test("RoundClock on subtensor: a round when the best block enters a new window of 25, numbered block // 25, whatever the steps", () => {
  equal(ROUND_BLOCKS, 25);
  const clock = new RoundClock(1_010, SETTINGS);
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

Deno.test("RoundClock on subtensor: blocks skipped between two steps open the newest window once", () => {
  const clock = new RoundClock(100, SETTINGS);
  deepEqual(opened(clock, [[1, 101], [2, 180], [3, 180], [4, 199], [5, 200]]), [[2, 7], [5, 8]]);
});
