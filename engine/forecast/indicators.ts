/**
 * Technical indicators for forecast agents: EMA, RSI, MACD and Bollinger
 * bands over a close series (oldest first). Each returns one value per
 * close, NaN until enough history exists.
 *
 * @module
 */

/** Exponential moving average with α = 2 / (period + 1), seeded by the first close. */
export function emaSeries(closes: readonly number[], period: number): number[] {
  const alpha = 2 / (period + 1);
  const out: number[] = [];
  closes.forEach((close, i) =>
    out.push(i === 0 ? close : alpha * close + (1 - alpha) * out[i - 1])
  );
  return out;
}

/** Wilder's RSI in [0, 100]. */
export function rsi(closes: readonly number[], period = 14): number[] {
  const out = new Array<number>(closes.length).fill(NaN);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < closes.length; i++) {
    const change = closes[i] - closes[i - 1];
    const up = Math.max(change, 0);
    const down = Math.max(-change, 0);
    if (i <= period) {
      gain += up / period;
      loss += down / period;
    } else {
      gain = (gain * (period - 1) + up) / period;
      loss = (loss * (period - 1) + down) / period;
    }
    if (i >= period) out[i] = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  }
  return out;
}

/** MACD line (fast EMA − slow EMA), its signal EMA and the histogram. */
export function macd(closes: readonly number[], fast = 12, slow = 26, signal = 9) {
  const fastEma = emaSeries(closes, fast);
  const slowEma = emaSeries(closes, slow);
  const line = closes.map((_, i) => fastEma[i] - slowEma[i]);
  const signalLine = emaSeries(line, signal);
  return { line, signal: signalLine, histogram: line.map((value, i) => value - signalLine[i]) };
}

/** Bollinger bands: SMA ± k · population std over `period`. */
export function bollinger(closes: readonly number[], period = 20, k = 2) {
  const middle: number[] = [];
  const upper: number[] = [];
  const lower: number[] = [];
  closes.forEach((_, i) => {
    if (i + 1 < period) {
      middle.push(NaN), upper.push(NaN), lower.push(NaN);
      return;
    }
    const window = closes.slice(i + 1 - period, i + 1);
    const mean = window.reduce((a, b) => a + b, 0) / period;
    const std = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / period);
    middle.push(mean), upper.push(mean + k * std), lower.push(mean - k * std);
  });
  return { middle, upper, lower };
}
