/**
 * The price field of a GenTRX token: the order's price relative to the mid,
 * in ticks, in τaos's 100 symmetric-log bins over ±500 with the centre bin
 * 50 = [−1, 1) (taos.md §6.1).
 *
 * The relative price is floor(price − mid), so with a one-tick spread (mid
 * on a half tick) the best bid (−1) and best ask (0) share the centre bin.
 * Offsets above it (1..500) fill the bins above the centre and offsets below
 * it (−2..−500) the bins below, each side log-spaced with `LogBins`.
 *
 * @module
 */
import { LogBins } from "@/engine/gentrx/log_bins.ts";
import type { SeededRandom } from "@/engine/seeded_random.ts";

/** The centre bin's range is [−1, 1), so the side above starts at +1 and the side below at −2. */
const FIRST_OFFSET_ABOVE = 1;
const FIRST_OFFSET_BELOW = -2;

export class PriceBins {
  readonly count: number;
  /** The bin of offsets −1 and 0 (bin 50 of 100 in τaos). */
  readonly centre: number;
  readonly #above: LogBins;
  readonly #below: LogBins;

  /** `count` bins over offsets ±`rangeTicks`; τaos: 100 bins, ±500 ticks. */
  constructor(count: number, rangeTicks: number) {
    this.count = count;
    this.centre = Math.floor(count / 2);
    this.#above = new LogBins(count - this.centre - 1, rangeTicks - FIRST_OFFSET_ABOVE);
    this.#below = new LogBins(this.centre, rangeTicks + FIRST_OFFSET_BELOW);
  }

  /** The bin of a relative price floor(price − mid), clamped to the outermost bins. */
  binOf(offsetTicks: number): number {
    if (offsetTicks >= FIRST_OFFSET_ABOVE) {
      return this.centre + 1 + this.#above.binOf(offsetTicks - FIRST_OFFSET_ABOVE);
    }
    if (offsetTicks <= FIRST_OFFSET_BELOW) {
      return this.centre - 1 - this.#below.binOf(FIRST_OFFSET_BELOW - offsetTicks);
    }
    return this.centre;
  }

  /** A relative price drawn uniformly from the integer offsets of `bin`. */
  sample(bin: number, random: SeededRandom): number {
    if (!(Number.isInteger(bin) && bin >= 0 && bin < this.count)) {
      throw new RangeError(`Cannot decode price bin ${bin}: bins are 0..${this.count - 1}`);
    }
    if (bin > this.centre) {
      return FIRST_OFFSET_ABOVE + this.#above.sample(bin - this.centre - 1, random);
    }
    if (bin < this.centre) {
      return FIRST_OFFSET_BELOW - this.#below.sample(this.centre - 1 - bin, random);
    }
    return random.integer(FIRST_OFFSET_BELOW + 1, FIRST_OFFSET_ABOVE);
  }
}
