/**
 * When the GenTRX validator opens a round. On subtensor a round is a window
 * of `roundBlocks` chain blocks (τaos: `round = block // 25`, about 5
 * minutes, taos.md §6.3), so every validator of the subnet counts the same
 * rounds; the local network has no blocks, so there a window is
 * `roundSteps` market steps. A round opens when a tick enters a new window,
 * and its number is the window's index.
 *
 * The clock sees only the positions it is given (the step count, or the
 * best block the chain client last heard of), so it is deterministic.
 *
 * @example
 * ```ts
 * const clock = new RoundClock("blocks", { roundSteps: 300, roundBlocks: 25, stepMs: 1000 });
 * clock.due(1_010); // null: the first block seen sets window 40
 * clock.due(1_012); // null: still window 40
 * clock.due(1_025); // 41: block 1025 opens round 41
 * ```
 *
 * @module
 */
import { SUBTENSOR_BLOCK_MS } from "@/server/chain/chain_client.ts";

export interface RoundClockSettings {
  /** Steps per round where the chain has no blocks (`--gentrx-round-steps`). */
  roundSteps: number;
  /** Blocks per round on subtensor (`--gentrx-round-blocks`, τaos 25). */
  roundBlocks: number;
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
  /** The window of the last position seen; null before the first. */
  #window: number | null;

  /**
   * A clock counting `unit`. Steps count from step 0, so the first round
   * opens at step `roundSteps`; blocks from the first block seen, whose
   * window opens no round: the first round opens at the next boundary, as
   * it would have without a restart.
   */
  constructor(unit: "blocks" | "steps", settings: RoundClockSettings) {
    this.unit = unit;
    if (unit === "steps") {
      this.every = settings.roundSteps;
      this.periodMs = settings.roundSteps * settings.stepMs;
      this.#window = 0;
    } else {
      this.every = settings.roundBlocks;
      this.periodMs = settings.roundBlocks * SUBTENSOR_BLOCK_MS;
      this.#window = null;
    }
  }

  /**
   * The round that opens at `position` (the step, or the best block; null
   * when none is known yet), or null while the window is the last one's.
   * Call it on every step, whether or not a round is still open, so a
   * window is seen only once.
   */
  due(position: number | null): number | null {
    if (position === null) return null;
    const window = Math.floor(position / this.every);
    if (this.#window === null) {
      this.#window = window;
      return null;
    }
    if (window <= this.#window) return null;
    this.#window = window;
    return window;
  }
}
