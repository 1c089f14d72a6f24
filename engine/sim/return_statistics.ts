/**
 * The estimators behind the stylized facts (shared/reference/perf.md §3):
 * log returns of a price series at a horizon, moments, autocorrelations and
 * their log-log decay, Hill's tail index and a within-book correlation.
 * `stylized_facts.ts` turns them into a report.
 *
 * Books are pooled as *segments*: a segment is one contiguous series (the
 * returns of a run of valid mids of one book, or one book's order signs).
 * Pooled statistics use the pooled mean and variance but never pair values
 * from two segments, so no return or lag product spans two books or a gap
 * where a side of a book was empty.
 *
 * Pure and browser-safe.
 *
 * @module
 */

/** A number, or null when there are too few (or constant) data to estimate it. */
export type Statistic = number | null;

/** Contiguous series pooled by the statistics below; pass `[series]` for one series. */
export type Segments = readonly ArrayLike<number>[];

/** Central moments of pooled values (population estimators, as numpy/scipy by default). */
export interface Moments {
  count: number;
  mean: Statistic;
  standardDeviation: Statistic;
  skewness: Statistic;
  /** Fourth standardized moment minus 3 (0 for a Gaussian). */
  excessKurtosis: Statistic;
}

/** Mid-price returns over one horizon, split where a series breaks. */
export interface HorizonReturns {
  /** Log returns, one segment per run of valid mids. */
  returns: Float64Array[];
  /** Volume traded over each return's interval, aligned with `returns` (when volumes were given). */
  volumes: Float64Array[];
}

const isValidPrice = (price: number) => Number.isFinite(price) && price > 0;

/**
 * Non-overlapping log returns ln(p[t + h] / p[t]) of one price series at a
 * horizon of `horizon` samples, one segment per run of valid prices (NaN or
 * ≤ 0 breaks the series; each run's blocks start at its first price).
 * `volumes[s]` is the volume traded in the sample interval ending at `s`, so
 * a return from sample a to b carries the sum of volumes a+1..b.
 *
 * @example horizonReturns([100, 101, NaN, 50, 55, 60.5], 1).returns
 *   → [[ln 1.01], [ln 1.1, ln 1.1]]
 */
export function horizonReturns(
  prices: ArrayLike<number>,
  horizon: number,
  volumes?: ArrayLike<number>,
): HorizonReturns {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new RangeError(`Cannot take returns at horizon ${horizon}: must be a positive integer`);
  }
  const result: HorizonReturns = { returns: [], volumes: [] };
  let start = 0;
  while (start < prices.length) {
    if (!isValidPrice(prices[start])) {
      start++;
      continue;
    }
    let end = start;
    while (end + 1 < prices.length && isValidPrice(prices[end + 1])) end++;
    const count = Math.floor((end - start) / horizon);
    if (count > 0) {
      const returns = new Float64Array(count);
      const traded = new Float64Array(volumes ? count : 0);
      for (let i = 0; i < count; i++) {
        const from = start + i * horizon;
        returns[i] = Math.log(prices[from + horizon] / prices[from]);
        if (volumes) {
          for (let s = from + 1; s <= from + horizon; s++) traded[i] += volumes[s] ?? 0;
        }
      }
      result.returns.push(returns);
      if (volumes) result.volumes.push(traded);
    }
    start = end + 1;
  }
  return result;
}

/** The log-return segments of one price series at `horizon` samples (see `horizonReturns`). */
export function logReturns(prices: ArrayLike<number>, horizon: number): Float64Array[] {
  return horizonReturns(prices, horizon).returns;
}

function countOf(segments: Segments): number {
  return segments.reduce((sum, segment) => sum + segment.length, 0);
}

function pooledMean(segments: Segments): number {
  let sum = 0;
  for (const segment of segments) for (let i = 0; i < segment.length; i++) sum += segment[i];
  return sum / countOf(segments);
}

const finite = (value: number): Statistic => Number.isFinite(value) ? value : null;

/** Mean, standard deviation, skew and excess kurtosis of pooled values. */
export function moments(segments: Segments): Moments {
  const count = countOf(segments);
  if (count === 0) {
    return { count, mean: null, standardDeviation: null, skewness: null, excessKurtosis: null };
  }
  const mean = pooledMean(segments);
  let m2 = 0, m3 = 0, m4 = 0;
  for (const segment of segments) {
    for (let i = 0; i < segment.length; i++) {
      const d = segment[i] - mean;
      const d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
  }
  m2 /= count;
  m3 /= count;
  m4 /= count;
  const constant = m2 === 0;
  return {
    count,
    mean,
    standardDeviation: Math.sqrt(m2),
    skewness: constant ? null : finite(m3 / m2 ** 1.5),
    excessKurtosis: constant ? null : finite(m4 / (m2 * m2) - 3),
  };
}

/** Excess kurtosis of pooled values (0 for a Gaussian, 3 for a Laplace). */
export function excessKurtosis(segments: Segments): Statistic {
  return moments(segments).excessKurtosis;
}

/** Skewness of pooled values (negative when losses are larger than gains). */
export function skewness(segments: Segments): Statistic {
  return moments(segments).skewness;
}

/**
 * The sample autocorrelation ρ_k = Σ (x_t − m)(x_{t+k} − m) / Σ (x_t − m)²
 * for k = 0..maxLag, with the pooled mean m and both sums over every
 * segment, pairs taken within a segment only (the usual biased estimator,
 * whose white-noise band is ±2/√N). Index k of the result is ρ_k; NaN when
 * the values are constant.
 */
export function autocorrelation(segments: Segments, maxLag: number): Float64Array {
  const acf = new Float64Array(maxLag + 1).fill(NaN);
  if (countOf(segments) === 0) return acf;
  const mean = pooledMean(segments);
  const centred = segments.map((segment) => Float64Array.from(segment, (x) => x - mean));
  let variance = 0;
  for (const segment of centred) for (const d of segment) variance += d * d;
  if (variance === 0) return acf;
  for (let lag = 0; lag <= maxLag; lag++) {
    let sum = 0;
    for (const segment of centred) {
      for (let t = 0; t + lag < segment.length; t++) sum += segment[t] * segment[t + lag];
    }
    acf[lag] = sum / variance;
  }
  return acf;
}

/**
 * Heteroskedasticity-robust standard errors of the sample autocorrelations
 * at lags 1..maxLag (Taylor 1986; Lo & MacKinlay 1989):
 * SE_k = √(Σ (d_t·d_{t+k})²) / Σ d_t², with d the centred values. For iid
 * values it is 1/√N, the white-noise band's; for returns whose volatility
 * clusters it is wider, as the sampling error of ρ_k really is — the plain
 * 2/√N band then flags uncorrelated but clustered returns. Index 0 is NaN.
 */
export function robustAutocorrelationErrors(segments: Segments, maxLag: number): Float64Array {
  const errors = new Float64Array(maxLag + 1).fill(NaN);
  if (countOf(segments) === 0) return errors;
  const mean = pooledMean(segments);
  const centred = segments.map((segment) => Float64Array.from(segment, (x) => x - mean));
  let variance = 0;
  for (const segment of centred) for (const d of segment) variance += d * d;
  if (variance === 0) return errors;
  for (let lag = 1; lag <= maxLag; lag++) {
    let sum = 0;
    for (const segment of centred) {
      for (let t = 0; t + lag < segment.length; t++) sum += (segment[t] * segment[t + lag]) ** 2;
    }
    errors[lag] = Math.sqrt(sum) / variance;
  }
  return errors;
}

/** The autocorrelation of |x| (volatility clustering, Cont 2001 facts 6 and 8). */
export function absoluteAutocorrelation(segments: Segments, maxLag: number): Float64Array {
  return autocorrelation(segments.map((segment) => Float64Array.from(segment, Math.abs)), maxLag);
}

/**
 * The autocorrelation of market-order signs ε_t ∈ {+1, −1} (+1 a buy taker),
 * one segment per book in time order; long memory shows as ρ_k > 0 decaying
 * like k^−γ with γ ≈ 0.6 (Lillo & Farmer 2004).
 */
export function orderSignAutocorrelation(signs: Segments, maxLag: number): Float64Array {
  return autocorrelation(signs, maxLag);
}

/** The white-noise significance band of a sample autocorrelation of N values: 2/√N. */
export function significanceBand(count: number): number {
  return 2 / Math.sqrt(count);
}

/** Fewest lags with ρ > 0 a log-log fit uses. */
const MIN_SLOPE_POINTS = 5;

/**
 * The least-squares slope of ln ρ_k on ln k over lags `fromLag..toLag` where
 * ρ_k > 0; a power-law decay ρ_k ∝ k^−β has slope −β. Null with fewer than
 * five positive lags.
 */
export function logLogSlope(acf: ArrayLike<number>, fromLag: number, toLag: number): Statistic {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let lag = Math.max(1, fromLag); lag <= Math.min(toLag, acf.length - 1); lag++) {
    if (acf[lag] > 0) {
      xs.push(Math.log(lag));
      ys.push(Math.log(acf[lag]));
    }
  }
  if (xs.length < MIN_SLOPE_POINTS) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
  });
  return sxy / sxx;
}

/** One Hill estimate: the tail fraction, the k order statistics it used, and α̂. */
export interface HillEstimate {
  tailFraction: number;
  k: number;
  alpha: Statistic;
}

/** Fewest order statistics a Hill estimate uses. */
const MIN_HILL_ORDER_STATISTICS = 10;

/**
 * Hill's estimator of the tail index α of |x| at each tail fraction: with
 * X₍₁₎ ≥ X₍₂₎ ≥ … and k = ⌊fraction · N⌋,
 * α̂ = [ (1/k) Σ_{i ≤ k} ln X₍ᵢ₎ − ln X₍ₖ₊₁₎ ]⁻¹ (Hill 1975). Returns have
 * α ≈ 3 (the inverse cubic law, Gopikrishnan et al. 1998). Null when k < 10
 * or X₍ₖ₊₁₎ = 0 (too many zero returns).
 */
export function hillEstimates(
  segments: Segments,
  tailFractions: readonly number[],
): HillEstimate[] {
  const count = countOf(segments);
  const sorted = new Float64Array(count);
  let at = 0;
  for (const segment of segments) {
    for (let i = 0; i < segment.length; i++) {
      sorted[at++] = Math.abs(segment[i]);
    }
  }
  sorted.sort();
  const largest = (rank: number) => sorted[count - rank];
  return tailFractions.map((tailFraction) => {
    const k = Math.floor(tailFraction * count);
    if (k < MIN_HILL_ORDER_STATISTICS || k >= count || largest(k + 1) <= 0) {
      return { tailFraction, k, alpha: null };
    }
    let sum = 0;
    for (let rank = 1; rank <= k; rank++) sum += Math.log(largest(rank));
    return { tailFraction, k, alpha: finite(1 / (sum / k - Math.log(largest(k + 1)))) };
  });
}

/** Hill's tail index of |x| over the top `tailFraction` of values (see `hillEstimates`). */
export function hillTailIndex(segments: Segments, tailFraction: number): Statistic {
  return hillEstimates(segments, [tailFraction])[0].alpha;
}

/**
 * Pearson's correlation of x and y after standardising each group (book) on
 * its own, so level differences between books do not masquerade as
 * correlation. Groups with constant x or y are left out.
 */
export function withinGroupCorrelation(
  groups: readonly { x: Segments; y: Segments }[],
): { pairs: number; correlation: Statistic } {
  let pairs = 0, sum = 0;
  for (const { x, y } of groups) {
    const mx = moments(x), my = moments(y);
    if (!mx.standardDeviation || !my.standardDeviation) continue;
    x.forEach((segment, s) => {
      for (let i = 0; i < segment.length; i++) {
        sum += ((segment[i] - mx.mean!) / mx.standardDeviation!) *
          ((y[s][i] - my.mean!) / my.standardDeviation!);
      }
    });
    pairs += mx.count;
  }
  return { pairs, correlation: pairs > 1 ? sum / pairs : null };
}
