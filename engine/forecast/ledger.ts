/**
 * TSPS's volatility-weighted EMA ledger (shared/reference/tsps.md §3.3):
 * each scored request moves every miner's ledger value towards its share of
 * that request, more so when the realised window was volatile (difficulty
 * g), and decays miners that did not answer.
 *
 * @module
 */

/** α = 2 / (48 + 1) (TSPS EMA length 48). */
export const LEDGER_ALPHA = 2 / (48 + 1);

/** Empirical percentile tables (100 increasing entries, p1 … p100), as TSPS keeps them. */
export interface DifficultyTables {
  /** Percentiles of max/min over 100-candle windows. */
  range: readonly number[];
  /** Percentiles of the population std of the closes. */
  std: readonly number[];
}

/**
 * Percentile rank as TSPS computes it: (index + 1)/100 of the first entry
 * strictly greater than `value`, or 1 when none is.
 */
export function percentileRank(table: readonly number[], value: number): number {
  const index = table.findIndex((entry) => entry > value);
  return index === -1 ? 1 : (index + 1) / 100;
}

/** g = sqrt(P_range · P_std) of the realised closes. */
export function windowDifficulty(actual: readonly number[], tables: DifficultyTables): number {
  const mean = actual.reduce((sum, value) => sum + value, 0) / actual.length;
  const std = Math.sqrt(
    actual.reduce((sum, value) => sum + (value - mean) ** 2, 0) / actual.length,
  );
  const range = Math.max(...actual) / Math.min(...actual);
  return Math.sqrt(percentileRank(tables.range, range) * percentileRank(tables.std, std));
}

function ema(value: number, previous: number): number {
  return LEDGER_ALPHA * value + (1 - LEDGER_ALPHA) * previous;
}

/**
 * One ledger update. `shares` are this request's normalised scores by
 * hotkey; `g` its difficulty. Absent miners decay; new miners start at the
 * ledger's average before the update. Returns a new ledger.
 */
export function updateLedger(
  ledger: ReadonlyMap<string, number>,
  shares: ReadonlyMap<string, number>,
  g: number,
): Map<string, number> {
  const values = [...ledger.values()];
  const average = values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;
  const next = new Map<string, number>();
  for (const [hotkey, value] of ledger) {
    if (!shares.has(hotkey)) next.set(hotkey, ema(value / (1 + g), value));
  }
  for (const [hotkey, share] of shares) {
    const previous = ledger.get(hotkey) ?? average;
    next.set(hotkey, ema((previous + share * g) / (1 + g), previous));
  }
  for (const value of next.values()) {
    if (!Number.isFinite(value)) {
      throw new RangeError("Cannot update ledger: a value is not finite");
    }
  }
  return next;
}
