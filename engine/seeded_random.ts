/**
 * A seeded source of uniform, integer and normal numbers (pure-rand's
 * xoroshiro128+): GenTRX initialisation and sampling, the example agents and
 * test inputs all draw from one of these, so a seed fully determines a run.
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";

/** Seeded xoroshiro128+ with uniform, integer and normal draws. */
export class SeededRandom {
  readonly #generator;
  /** The second normal of the last Box–Muller pair, not yet returned. */
  #spareNormal: number | undefined;

  constructor(seed: number) {
    this.#generator = xoroshiro128plus(seed);
  }

  /** A uniform number in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.#generator);
  }

  /** A uniform integer in [from, to) (`to` excluded); `to` must exceed `from`. */
  integer(from: number, to: number): number {
    return from + Math.floor(this.uniform() * (to - from));
  }

  /** A standard normal number (Box–Muller transform, pairs cached). */
  normal(): number {
    if (this.#spareNormal !== undefined) {
      const spare = this.#spareNormal;
      this.#spareNormal = undefined;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.#spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** `count` normal numbers with standard deviation `std`. */
  normals(count: number, std: number): Float32Array {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = std * this.normal();
    return values;
  }
}
