import { equal } from "node:assert/strict";
import { SimulationSpeed, SPEED_WINDOW_MS } from "@/server/simulation_speed.ts";

Deno.test("SimulationSpeed reads simulated seconds per wall second over the window", () => {
  let now = 0;
  const speed = new SimulationSpeed(() => now);
  equal(speed.simulatedSecondsPerSecond(), null);
  speed.observe(1e9);
  equal(speed.simulatedSecondsPerSecond(), null, "one round is no speed yet");
  // 40 rounds of one simulated second, 100 wall ms apart: 10 sim s per s.
  for (let round = 2; round <= 41; round++) {
    now += 100;
    speed.observe(round * 1e9);
  }
  equal(speed.simulatedSecondsPerSecond(), 10);
});

Deno.test("SimulationSpeed forgets rounds older than the window", () => {
  let now = 0;
  const speed = new SimulationSpeed(() => now);
  // A fast minute (1 sim s per 10 ms), then slow rounds (1 sim s per 1000 ms).
  for (let round = 1; round <= 6000; round++, now += 10) speed.observe(round * 1e9);
  let simulatedNs = 6000e9;
  for (let wall = 0; wall < 2 * SPEED_WINDOW_MS; wall += 1000) {
    now += 1000;
    simulatedNs += 1e9;
    speed.observe(simulatedNs);
  }
  equal(speed.simulatedSecondsPerSecond(), 1);
});

Deno.test("SimulationSpeed reads 0 for a stalled loop and restarts with a new simulation", () => {
  let now = 0;
  const speed = new SimulationSpeed(() => now);
  speed.observe(1e9);
  now = 1000;
  speed.observe(2e9);
  now += SPEED_WINDOW_MS + 1;
  equal(speed.simulatedSecondsPerSecond(), 0);
  // A new simulation starts its clock again: the window starts afresh.
  speed.observe(1e9);
  equal(speed.simulatedSecondsPerSecond(), null);
  now += 500;
  speed.observe(2e9);
  equal(speed.simulatedSecondsPerSecond(), 2);
});
