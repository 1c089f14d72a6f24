/**
 * Drawing a token from one head's logits: softmax at a temperature,
 * optionally restricted to the k most likely bins (top-k sampling, Fan et
 * al. 2018). MarS samples its order token from the softmax at temperature
 * 1.0 (shared/reference/ml.md §5.1); GenTRX draws each of the five field
 * tokens this way from its own head.
 *
 * @module
 */
import type { SeededRandom } from "@/engine/seeded_random.ts";

export interface SamplingOptions {
  /** Divides the logits before the softmax: below 1 sharpens, above 1 flattens. */
  temperature: number;
  /** Keep only the k most likely bins (ties broken by the lower bin); all bins when omitted. */
  topK?: number;
}

/** MarS's sampling: the plain softmax (ml.md §5.1, "temperature 1.0"). */
export const MARS_SAMPLING: SamplingOptions = { temperature: 1 };

/** Throws naming the option that cannot be sampled with. */
export function validateSampling(options: SamplingOptions): void {
  const { temperature, topK } = options;
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new RangeError(
      `Invalid sampling: temperature is ${temperature}, expected a positive number`,
    );
  }
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) {
    throw new RangeError(`Invalid sampling: topK is ${topK}, expected an integer ≥ 1`);
  }
}

/** Draws a bin in [0, logits.length) with one uniform draw from `random`. */
export function sampleBin(
  logits: Float32Array,
  options: SamplingOptions,
  random: SeededRandom,
): number {
  validateSampling(options);
  const bins = Array.from(logits.keys());
  const keep = options.topK === undefined || options.topK >= logits.length
    ? bins
    : bins.sort((a, b) => logits[b] - logits[a] || a - b).slice(0, options.topK).sort((a, b) =>
      a - b
    );
  let max = -Infinity;
  for (const bin of keep) max = Math.max(max, logits[bin]);
  const weights = keep.map((bin) => Math.exp((logits[bin] - max) / options.temperature));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let threshold = random.uniform() * total;
  for (let i = 0; i < keep.length; i++) {
    threshold -= weights[i];
    if (threshold < 0) return keep[i];
  }
  // Rounding can leave a sliver of the total unassigned; it belongs to the last kept bin.
  return keep[keep.length - 1];
}
