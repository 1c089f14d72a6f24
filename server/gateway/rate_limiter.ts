/**
 * Token buckets keyed by string (an IP, a hotkey): each key may spend
 * `burst` tokens at once and regains `perSecond` tokens a second.
 *
 * @module
 */

export interface RateLimit {
  /** Tokens regained per second. */
  perSecond: number;
  /** Bucket size: the most that can be spent at once. */
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Buckets kept before full ones are dropped (a full bucket is the default). */
const MAX_TRACKED_KEYS = 100_000;

export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limit: RateLimit, now: () => number = () => Date.now()) {
    this.#limit = limit;
    this.#now = now;
  }

  /** Spends one token of `key`; false when the key is over its limit. */
  take(key: string): boolean {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#limit.burst, updatedMs: now };
    bucket.tokens = Math.min(
      this.#limit.burst,
      bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.#limit.perSecond,
    );
    bucket.updatedMs = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > MAX_TRACKED_KEYS) this.#dropFullBuckets(now);
    return true;
  }

  #dropFullBuckets(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      const refilled = bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.#limit.perSecond;
      if (refilled >= this.#limit.burst) this.#buckets.delete(key);
    }
  }
}
