/**
 * Response time becomes order latency, as in τaos (shared/reference/taos.md
 * §2.7): fast responders get close to the minimum delay, slow ones approach
 * the maximum along a convex curve, and a missed deadline drops the response.
 *
 * @module
 */

export interface LatencyModel {
  /** The deadline for a response, in ms (τaos --neuron.timeout, 3 s). */
  timeoutMs: number;
  /** Delay for an instant response, ns (τaos min_delay 10 ms). */
  minDelayNs: number;
  /** Delay for a response at the deadline, ns (τaos max_delay 1000 ms). */
  maxDelayNs: number;
  /** Extra delay per further instruction on one book, ns (τaos [5 ms, 25 ms]). */
  perInstructionNs: readonly [number, number];
}

export const TAOS_LATENCY: LatencyModel = {
  timeoutMs: 3000,
  minDelayNs: 10_000_000,
  maxDelayNs: 1_000_000_000,
  perInstructionNs: [5_000_000, 25_000_000],
};

/** Curvature of τaos's mapping: (e^{5t} − 1)/(e^5 − 1). */
const CONVEXITY = 5;

/**
 * The base order delay for a response that took `responseMs`, or null when
 * it missed the deadline. t = responseMs / timeout;
 * delay = min + (e^{5t} − 1)/(e^5 − 1) · (max − min), rounded to whole ns.
 */
export function delayForResponseTime(responseMs: number, model = TAOS_LATENCY): number | null {
  if (!(responseMs >= 0) || responseMs > model.timeoutMs) return null;
  const t = responseMs / model.timeoutMs;
  const shape = Math.expm1(CONVEXITY * t) / Math.expm1(CONVEXITY);
  return Math.round(model.minDelayNs + shape * (model.maxDelayNs - model.minDelayNs));
}

/**
 * Delays for `count` instructions on one book: the first gets `baseNs`, each
 * later one `baseNs` plus an independent uniform integer increment drawn from
 * `randomInt(from, to)` (inclusive), so the miner's own order is kept.
 */
export function instructionDelays(
  baseNs: number,
  count: number,
  randomInt: (from: number, to: number) => number,
  model = TAOS_LATENCY,
): number[] {
  const [from, to] = model.perInstructionNs;
  return Array.from(
    { length: count },
    (_, index) => index === 0 ? baseNs : baseNs + randomInt(from, to),
  );
}

/**
 * Delays for a whole response: τaos §2.7 per book — the first instruction
 * on each book gets `baseNs`, each later one on that book an increment drawn
 * with `randomInt` (instructionDelays), in the response's order. `bookIds`
 * are the instructions' books; the result lines up with them.
 *
 * @example
 * ```ts
 * responseDelays([0, 1, 0], 10, (from) => from); // [10, 10, 10 + 5_000_000]
 * ```
 */
export function responseDelays(
  bookIds: readonly number[],
  baseNs: number,
  randomInt: (from: number, to: number) => number,
  model = TAOS_LATENCY,
): number[] {
  const perBook = new Map<number, number[]>();
  bookIds.forEach((bookId, index) => {
    const indexes = perBook.get(bookId) ?? [];
    indexes.push(index);
    perBook.set(bookId, indexes);
  });
  const delays = new Array<number>(bookIds.length);
  for (const indexes of perBook.values()) {
    const drawn = instructionDelays(baseNs, indexes.length, randomInt, model);
    indexes.forEach((index, order) => delays[index] = drawn[order]);
  }
  return delays;
}
