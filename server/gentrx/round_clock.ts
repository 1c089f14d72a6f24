/**
 * When the GenTRX validator opens a round. On subtensor a round is a window
 * of ROUND_BLOCKS chain blocks (τaos: `round = block // 25`, about 5
 * minutes, taos.md §6.3), so every validator of the subnet counts the same
 * rounds; the local network has no blocks, so there a window is
 * `roundSteps` market steps. A round opens when a tick enters a new window,
 * and its number is the window's index.
 *
 * The clock sees only what it is given (the step count and the block
 * number the pool reads each step), so it is deterministic.
 *
 * @example
 * ```ts
 * const clock = new RoundClock(1_010, { roundSteps: 300, stepMs: 1000 });
 * clock.due(1, 1_012); // null: still window 40
 * clock.due(2, 1_025); // 41: block 1025 opens round 41
 * ```
 *
 * @module
 */
import { SUBTENSOR_BLOCK_MS } from "@/server/chain/chain_client.ts";

/** Blocks per GenTRX round on subtensor (τaos `round = block // 25`, taos.md §6.3). */
export const ROUND_BLOCKS = 25;

export interface RoundClockSettings {
  /** Steps per round where the chain has no blocks (`--gentrx-round-steps`). */
  roundSteps: number;
  /** Wall ms per market step. */
  stepMs: number;
}

export class RoundClock {
  /** What a window counts: chain blocks on subtensor, market steps on the local network. */
  readonly unit: "blocks" | "steps";
  /** Blocks or steps per round. */
  readonly every: number;
  /** A round's length in wall ms (25 blocks of 12 s: 300 s). */
  readonly periodMs: number;
  /** The window of the last tick. */
  #window: number;

  /**
   * A clock for a chain whose best block is `block` now; null (no blocks)
   * counts steps from step 0. The window it starts in opens no round: the
   * first round opens at the next boundary, as it would have without a
   * restart.
   */
  constructor(block: number | null, settings: RoundClockSettings) {
    if (block === null) {
      this.unit = "steps";
      this.every = settings.roundSteps;
      this.periodMs = settings.roundSteps * settings.stepMs;
      this.#window = 0;
    } else {
      this.unit = "blocks";
      this.every = ROUND_BLOCKS;
      this.periodMs = ROUND_BLOCKS * SUBTENSOR_BLOCK_MS;
      this.#window = Math.floor(block / ROUND_BLOCKS);
    }
  }

  /**
   * The round that opens at this tick (step `step`, best block `block`),
   * or null while the window is the last tick's. Call it on every step,
   * whether or not a round is still open, so a window is seen only once.
   */
  due(step: number, block: number | null): number | null {
    const position = this.unit === "blocks" ? block : step;
    if (position === null) return null;
    const window = Math.floor(position / this.every);
    if (window <= this.#window) return null;
    this.#window = window;
    return window;
  }
}
