// This module is browser compatible.
/**
 * Number formatting for the viewer: fixed decimals from integer ticks and
 * lots, thousands separators, signed changes. Always "en-US" so server
 * and browser render the same text (hydration must match).
 *
 * @module
 */

const LOCALE = "en-US";
/** What an absent number shows as. */
export const NO_VALUE = "—";

/**
 * One Intl.NumberFormat per decimals, made once: `toLocaleString` with
 * options builds a new formatter on every call, which made number
 * formatting most of a book page's script time (every ladder level, trade
 * and figure, 10 times a second).
 */
const fixedFormats = new Map<number, Intl.NumberFormat>();
const compactFormat = new Intl.NumberFormat(LOCALE, {
  notation: "compact",
  maximumFractionDigits: 1,
});

function fixedFormat(decimals: number): Intl.NumberFormat {
  let format = fixedFormats.get(decimals);
  if (format === undefined) {
    format = new Intl.NumberFormat(LOCALE, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    fixedFormats.set(decimals, format);
  }
  return format;
}

/** Integer `units` of 10^-decimals as a decimal string: (30012, 2) → "300.12". */
export function formatTicks(units: number | null, decimals: number): string {
  if (units === null) return NO_VALUE;
  return fixedFormat(decimals).format(units / 10 ** decimals);
}

/** Like formatTicks with an explicit sign: (12, 2) → "+0.12", (-12, 2) → "−0.12". */
export function formatSignedTicks(units: number | null, decimals: number): string {
  if (units === null) return NO_VALUE;
  const text = formatTicks(Math.abs(units), decimals);
  return units > 0 ? `+${text}` : units < 0 ? `−${text}` : text;
}

/** Hundredths of a percent `change` is of `base`, rounded as shown; null if unknown. */
function basisPoints(change: number | null, base: number | null): number | null {
  if (change === null || base === null || base === 0) return null;
  return Math.round((change / base) * 10_000);
}

/** `change / base` as a signed percentage with two decimals: (3, 300) → "+1.00%". */
export function formatPercentChange(change: number | null, base: number | null): string {
  const points = basisPoints(change, base);
  if (points === null) return NO_VALUE;
  const text = (Math.abs(points) / 100).toFixed(2);
  return points > 0 ? `+${text}%` : points < 0 ? `−${text}%` : `${text}%`;
}

/**
 * Direction of a percentage change as formatPercentChange shows it, so a
 * change that rounds to "0.00%" is not coloured.
 */
export function percentDirection(
  change: number | null,
  base: number | null,
): "up" | "down" | "flat" {
  return direction(basisPoints(change, base));
}

/** Quantities of 10^-decimals units, shortened with K, M, B: (1_234_567_890, 4) → "123.5K". */
export function formatCompact(units: number, decimals: number): string {
  return compactFormat.format(units / 10 ** decimals);
}

/** Direction of a change for colouring: "up", "down" or "flat". */
export function direction(change: number | null): "up" | "down" | "flat" {
  if (change === null || change === 0) return "flat";
  return change > 0 ? "up" : "down";
}
