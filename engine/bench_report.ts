/**
 * Helpers for `*_bench.ts` files: time a workload repeatedly and print the
 * median as the one JSON line per figure that `deno task bench` collects.
 *
 * @module
 */

export interface Figure {
  bench: string;
  value: number;
  unit: string;
  /** This figure divided by a peer implementation's, measured in the same run. */
  ratio?: number;
  /** What the ratio compares against, e.g. "ts_reference". */
  ratio_to?: string;
}

/** Prints one figure as a JSON line. */
export function report(figure: Figure): void {
  console.log(JSON.stringify(figure));
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs `workload` `repeats` times (after one warm-up run) and returns the
 * median rate: `operations` done by one run divided by its seconds.
 */
export function medianRate(operations: number, workload: () => void, repeats = 7): number {
  workload();
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    workload();
    rates.push(operations / ((performance.now() - started) / 1000));
  }
  return median(rates);
}
