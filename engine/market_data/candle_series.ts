// This module is browser compatible.
/**
 * A live OHLCV candle series of one interval, bounded to the newest
 * `capacity` candles. Candles are stamped with their open time in simulated
 * seconds (the time format charting libraries expect); an interval without
 * trades repeats the last close with zero volume, as exchanges' kline feeds
 * do, so the series has no holes once the first trade has happened.
 *
 * Storage is one Float64Array ring (six numbers a candle), so a thousand
 * books with several intervals each stay a few tens of megabytes.
 *
 * (engine/forecast/candles.ts builds closed candles from a finished list of
 * prints for forecasting; this series is the incremental, live
 * counterpart.)
 *
 * @module
 */

export interface Candle {
  /** Open time of the interval, simulated seconds. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Fields per candle in the ring, in Candle order. */
const FIELDS = 6;

export class CandleSeries {
  /** Interval length in simulated seconds. */
  readonly intervalSeconds: number;
  readonly capacity: number;
  readonly #ring: Float64Array;
  /** Ring slot of the oldest candle. */
  #head = 0;
  #length = 0;

  constructor(intervalSeconds: number, capacity: number) {
    if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1) {
      throw new RangeError(
        `Invalid candle interval ${intervalSeconds}: must be a whole number of seconds ≥ 1`,
      );
    }
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Invalid candle capacity ${capacity}: must be an integer ≥ 1`);
    }
    this.intervalSeconds = intervalSeconds;
    this.capacity = capacity;
    this.#ring = new Float64Array(capacity * FIELDS);
  }

  get length(): number {
    return this.#length;
  }

  /** Open time of the interval that contains `timeSeconds`. */
  bucketOf(timeSeconds: number): number {
    return Math.floor(timeSeconds / this.intervalSeconds) * this.intervalSeconds;
  }

  /**
   * Adds what happened at `timeSeconds`: `step` is the OHLCV of the trades
   * then, or null when nothing traded (which still opens a flat candle when
   * a new interval starts). Times must not go backwards.
   */
  record(timeSeconds: number, step: Omit<Candle, "time"> | null): void {
    const bucket = this.bucketOf(timeSeconds);
    const last = this.#length > 0 ? this.#slot(this.#length - 1) : -1;
    const lastTime = last >= 0 ? this.#ring[last] : -Infinity;
    if (bucket < lastTime) {
      throw new RangeError(
        `Cannot record time ${timeSeconds}: the series is already at ${lastTime}`,
      );
    }
    if (bucket === lastTime) {
      if (step === null) return;
      const ring = this.#ring;
      ring[last + 2] = Math.max(ring[last + 2], step.high);
      ring[last + 3] = Math.min(ring[last + 3], step.low);
      ring[last + 4] = step.close;
      ring[last + 5] += step.volume;
      return;
    }
    if (step === null) {
      if (last < 0) return;
      const close = this.#ring[last + 4];
      this.#push(bucket, close, close, close, close, 0);
      return;
    }
    this.#push(bucket, step.open, step.high, step.low, step.close, step.volume);
  }

  /** The candle at `index`, 0 the oldest; negative counts from the newest. */
  at(index: number): Candle | undefined {
    const i = index < 0 ? this.#length + index : index;
    if (i < 0 || i >= this.#length) return undefined;
    const slot = this.#slot(i);
    const ring = this.#ring;
    return {
      time: ring[slot],
      open: ring[slot + 1],
      high: ring[slot + 2],
      low: ring[slot + 3],
      close: ring[slot + 4],
      volume: ring[slot + 5],
    };
  }

  /** Candles whose open time is at least `fromTime`, oldest first. */
  since(fromTime = -Infinity): Candle[] {
    const candles: Candle[] = [];
    for (let i = this.#length - 1; i >= 0; i--) {
      if (this.#ring[this.#slot(i)] < fromTime) break;
      candles.push(this.at(i)!);
    }
    return candles.reverse();
  }

  /** Closes of the newest `count` candles, oldest first. */
  closes(count: number): number[] {
    const from = Math.max(0, this.#length - count);
    const closes: number[] = [];
    for (let i = from; i < this.#length; i++) closes.push(this.#ring[this.#slot(i) + 4]);
    return closes;
  }

  /**
   * One candle folding every candle that opened at or after `fromTime`:
   * the first open, the extremes, the last close and the summed volume;
   * undefined when there is none. Used for rolling-window figures.
   */
  aggregateSince(fromTime: number): Candle | undefined {
    const candles = this.since(fromTime);
    if (candles.length === 0) return undefined;
    const folded = { ...candles[0] };
    for (let i = 1; i < candles.length; i++) {
      const candle = candles[i];
      folded.high = Math.max(folded.high, candle.high);
      folded.low = Math.min(folded.low, candle.low);
      folded.close = candle.close;
      folded.volume += candle.volume;
    }
    return folded;
  }

  #slot(index: number): number {
    return ((this.#head + index) % this.capacity) * FIELDS;
  }

  #push(time: number, open: number, high: number, low: number, close: number, volume: number) {
    if (this.#length === this.capacity) {
      this.#head = (this.#head + 1) % this.capacity;
      this.#length--;
    }
    const slot = this.#slot(this.#length);
    this.#ring.set([time, open, high, low, close, volume], slot);
    this.#length++;
  }
}

/**
 * Merges `updates` (oldest first) into `candles` (oldest first) by open
 * time — replacing a candle with the same time, appending newer ones —
 * and keeps the newest `capacity`. How a browser applies a feed update.
 */
export function mergeCandles(
  candles: readonly Candle[],
  updates: readonly Candle[],
  capacity: number,
): Candle[] {
  if (updates.length === 0) return candles.slice(-capacity);
  const firstUpdate = updates[0].time;
  let keep = candles.length;
  while (keep > 0 && candles[keep - 1].time >= firstUpdate) keep--;
  return [...candles.slice(0, keep), ...updates].slice(-capacity);
}
