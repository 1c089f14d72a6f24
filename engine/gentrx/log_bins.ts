/**
 * Logarithmic bins over the integers 0..max, the scheme τaos uses for the
 * integer volume (64 bins over [0, 100]), the interval (64 bins over
 * [0, 50 ms]) and, mirrored, the price (taos.md §6.1).
 *
 * Bin edges are evenly spaced in log(1 + value) and rounded to integers, with
 * every bin at least one integer wide, so small values get a bin each and
 * every bin can be decoded back to a value inside it.
 *
 * @module
 */
import type { SeededRandom } from "@/engine/seeded_random.ts";

/** `count` log-spaced bins over the integers [0, max]; larger values go to the last bin. */
export class LogBins {
  readonly count: number;
  readonly max: number;
  /** lowerEdges[b] is the smallest value of bin b; lowerEdges[count] = max + 1. */
  readonly #lowerEdges: number[];

  constructor(count: number, max: number) {
    if (!(Number.isInteger(count) && Number.isInteger(max) && count >= 1 && count <= max + 1)) {
      throw new RangeError(
        `Cannot build ${count} log bins over [0, ${max}]: need 1 ≤ count ≤ max + 1`,
      );
    }
    this.count = count;
    this.max = max;
    const edges = [0];
    for (let bin = 1; bin < count; bin++) {
      const logSpaced = Math.round(Math.pow(max + 1, bin / count) - 1);
      // Leave one integer for each bin still to come.
      const latest = max + 1 - (count - bin);
      edges.push(Math.min(latest, Math.max(edges[bin - 1] + 1, logSpaced)));
    }
    edges.push(max + 1);
    this.#lowerEdges = edges;
  }

  /** The bin holding `value`, clamped to [0, max]. */
  binOf(value: number): number {
    const clamped = Math.min(Math.max(value, 0), this.max);
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#lowerEdges[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The integers of `bin`: [lower, upper). */
  range(bin: number): { lower: number; upper: number } {
    if (!(Number.isInteger(bin) && bin >= 0 && bin < this.count)) {
      throw new RangeError(`Cannot read bin ${bin}: bins are 0..${this.count - 1}`);
    }
    return { lower: this.#lowerEdges[bin], upper: this.#lowerEdges[bin + 1] };
  }

  /** A value drawn uniformly from the integers of `bin`. */
  sample(bin: number, random: SeededRandom): number {
    const { lower, upper } = this.range(bin);
    return random.integer(lower, upper);
  }
}
