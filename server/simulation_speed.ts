/**
 * How fast the simulation runs: simulated seconds per wall second over the
 * last SPEED_WINDOW_MS of wall time, for the operator's dashboard (issue 7:
 * "simulation progress and speed").
 *
 * @module
 */

/** Wall time the speed looks back over, ms. */
export const SPEED_WINDOW_MS = 10_000;

/**
 * Rounds' (wall time, simulated time) pairs over the last window. A new
 * simulation (simulated time going back) starts the window afresh.
 *
 * @example Usage
 * ```ts
 * import { SimulationSpeed } from "@/server/simulation_speed.ts";
 * import { equal } from "node:assert/strict";
 *
 * let now = 0;
 * const speed = new SimulationSpeed(() => now);
 * speed.observe(1e9);
 * now = 100;
 * speed.observe(2e9);
 * equal(speed.simulatedSecondsPerSecond(), 10);
 * ```
 */
export class SimulationSpeed {
  readonly #now: () => number;
  #wallMs: number[] = [];
  #simulatedNs: number[] = [];
  /** Index of the window's first round; older entries wait for compaction. */
  #head = 0;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Records a round that brought the simulation to `simulatedNs`. */
  observe(simulatedNs: number): void {
    const last = this.#simulatedNs.at(-1);
    if (last !== undefined && simulatedNs < last) {
      this.#wallMs = [];
      this.#simulatedNs = [];
      this.#head = 0;
    }
    const now = this.#now();
    this.#wallMs.push(now);
    this.#simulatedNs.push(simulatedNs);
    this.#prune(now);
  }

  /**
   * Simulated seconds per wall second from the oldest round in the window
   * (or the last before it) to now; null before two rounds. A stalled loop
   * reads 0 once its last round is older than the window.
   */
  simulatedSecondsPerSecond(): number | null {
    const now = this.#now();
    this.#prune(now);
    const first = this.#head;
    const rounds = this.#wallMs.length - first;
    if (rounds === 0) return null;
    if (rounds === 1) return this.#wallMs[first] <= now - SPEED_WINDOW_MS ? 0 : null;
    const wallSeconds = (now - this.#wallMs[first]) / 1000;
    if (wallSeconds <= 0) return null;
    return (this.#simulatedNs.at(-1)! - this.#simulatedNs[first]) / 1e9 / wallSeconds;
  }

  /** Moves the window's start past old rounds, keeping the last of them as its start. */
  #prune(now: number): void {
    const wall = this.#wallMs;
    while (this.#head + 1 < wall.length && wall[this.#head + 1] <= now - SPEED_WINDOW_MS) {
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > wall.length) {
      this.#wallMs = wall.slice(this.#head);
      this.#simulatedNs = this.#simulatedNs.slice(this.#head);
      this.#head = 0;
    }
  }
}
