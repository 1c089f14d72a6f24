import { deepEqual, equal } from "node:assert/strict";
import {
  delayForResponseTime,
  instructionDelays,
  responseDelays,
  TAOS_LATENCY,
} from "@/engine/latency.ts";

Deno.test("the delay curve runs from 10 ms to 1 s and is convex", () => {
  equal(delayForResponseTime(0), 10_000_000);
  equal(delayForResponseTime(3000), 1_000_000_000);
  // t = 0.5: 10 ms + (e^2.5 − 1)/(e^5 − 1) · 990 ms
  equal(
    delayForResponseTime(1500),
    Math.round(10e6 + (Math.exp(2.5) - 1) / (Math.exp(5) - 1) * 990e6),
  );
  const half = delayForResponseTime(1500)!;
  equal(half < (10e6 + 1e9) / 2, true);
  equal(delayForResponseTime(300)! < delayForResponseTime(600)!, true);
});

Deno.test("a missed deadline or a nonsense time gives no delay", () => {
  equal(delayForResponseTime(3000.5), null);
  equal(delayForResponseTime(-1), null);
  equal(delayForResponseTime(Number.NaN), null);
});

Deno.test("later instructions on a book get a drawn increment on top", () => {
  const draws: [number, number][] = [];
  const delays = instructionDelays(10, 3, (from, to) => {
    draws.push([from, to]);
    return from;
  });
  deepEqual(delays, [10, 10 + 5_000_000, 10 + 5_000_000]);
  deepEqual(draws, [TAOS_LATENCY.perInstructionNs, TAOS_LATENCY.perInstructionNs]);
});

Deno.test("a response's delays: the first per book gets the base, later ones an increment", () => {
  deepEqual(responseDelays([0, 1, 0, 0], 10, (from) => from), [
    10,
    10,
    10 + 5_000_000,
    10 + 5_000_000,
  ]);
  deepEqual(responseDelays([], 10, () => 0), []);
});
