/**
 * Readers for untrusted decoded input (msgpack or JSON from miners): each
 * returns the typed value or throws a FieldError that names the field and
 * the limit, e.g. `Invalid instructions[2].price: must be a number above 0`.
 *
 * @module
 */

export class FieldError extends Error {
  /** Path of the offending field, e.g. "instructions[2].price". */
  readonly field: string;

  constructor(field: string, rule: string) {
    super(`Invalid ${field}: ${rule}`);
    this.name = "FieldError";
    this.field = field;
  }
}

export type Fields = Record<string, unknown>;

/** A map (not an array, not binary). */
export function readRecord(value: unknown, field: string): Fields {
  if (
    typeof value !== "object" || value === null || Array.isArray(value) ||
    value instanceof Uint8Array
  ) {
    throw new FieldError(field, "must be a map");
  }
  return value as Fields;
}

export function readText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== "string" || value.length === 0 || value.length > maxLength) {
    throw new FieldError(field, `must be a string of 1 to ${maxLength} characters`);
  }
  return value;
}

/** An integer in [min, max]; msgpack 64-bit integers may arrive as bigint. */
export function readInteger(
  value: unknown,
  field: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const number = typeof value === "bigint" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < min || number > max) {
    throw new FieldError(field, `must be an integer from ${min} to ${max}`);
  }
  return number;
}

/** A finite number above `exclusiveMin`. */
export function readPositive(value: unknown, field: string, exclusiveMin = 0): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= exclusiveMin) {
    throw new FieldError(field, `must be a number above ${exclusiveMin}`);
  }
  return value;
}

export function readBoolean(value: unknown, field: string): boolean {
  if (typeof value !== "boolean") throw new FieldError(field, "must be true or false");
  return value;
}

export function readBytes(value: unknown, field: string, maxLength: number): Uint8Array {
  if (!(value instanceof Uint8Array) || value.byteLength > maxLength) {
    throw new FieldError(field, `must be binary of at most ${maxLength} bytes`);
  }
  return value;
}

export function readArray(value: unknown, field: string, maxLength: number): unknown[] {
  if (!Array.isArray(value) || value.length > maxLength) {
    throw new FieldError(field, `must be a list of at most ${maxLength} items`);
  }
  return value;
}

/** `value` when present, else `fallback`; null counts as absent. */
export function optional<T>(
  value: unknown,
  fallback: T,
  read: (value: unknown) => T,
): T {
  return value === undefined || value === null ? fallback : read(value);
}
