/**
 * The example agents' seeded random numbers (pure-rand's xoroshiro128+).
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";

export interface SeededRandom {
  /** Uniform integer in [from, to]. */
  int(from: number, to: number): number;
  /** Uniform number in [0, 1). */
  unit(): number;
}

const UNIT_STEPS = 2 ** 30;

export function seededRandom(seed: number): SeededRandom {
  const generator = xoroshiro128plus(seed);
  return {
    int: (from, to) => uniformInt(generator, from, to),
    unit: () => uniformInt(generator, 0, UNIT_STEPS - 1) / UNIT_STEPS,
  };
}
