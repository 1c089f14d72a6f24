/**
 * One interface for the blobs of the training pool (ARCHITECTURE.md
 * decision 7; taos.md §6.2–6.6): parquet pages, weight deltas, proposals and
 * model checkpoints. A local folder by default (server/object_store/), any
 * S3-compatible bucket (R2, MinIO, Hippius) through `S3ObjectStore`, which
 * runs in Deno and in the browser.
 *
 * Keys are `/`-separated segments of `[A-Za-z0-9._-]` (τaos's layouts, such
 * as `gentrx/testnet/simulation/data/0/3/intervals/0-30000.parquet`, fit), so
 * the same key is a safe file path and a URL path that needs no escaping.
 *
 * ```ts
 * const store: ObjectStore = new S3ObjectStore({ endpoint, bucket, accessKeyId, secretAccessKey });
 * await store.put("gentrx/testnet/gradients/7/00000012.grad", bytes);
 * const back = await store.get("gentrx/testnet/gradients/7/00000012.grad"); // null if absent
 * ```
 *
 * @module
 */

/** A stored object's key and size. */
export interface ObjectInfo {
  key: string;
  sizeBytes: number;
}

export interface ObjectStore {
  /** Where the objects live, for logs (`folder /data/objects`, `s3 http://…/bucket`). */
  readonly description: string;
  /** The largest object `put` accepts and `get` returns. */
  readonly maxObjectBytes: number;
  /** Stores `bytes` under `key`, replacing any object there. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Every object whose key starts with `prefix` ("" for all), sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Removes the object; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
}

/**
 * The default object size cap: a τaos-sized checkpoint (~47 MB, taos.md
 * §6.1) with room to spare. Gradients have their own, smaller cap (20 MB,
 * §6.4) enforced by their decoder.
 */
export const DEFAULT_MAX_OBJECT_BYTES = 64 * 1024 * 1024;
/** S3's key limit is 1024 bytes of UTF-8; the allowed characters are one byte each. */
export const MAX_KEY_LENGTH = 1024;

const SEGMENT = /^[A-Za-z0-9._-]+$/;

function keyProblem(key: string, allowTrailingSlash: boolean): string | null {
  if (typeof key !== "string") return "it is not a string";
  if (key.length > MAX_KEY_LENGTH) {
    return `it is ${key.length} characters, the limit is ${MAX_KEY_LENGTH}`;
  }
  const body = allowTrailingSlash && key.endsWith("/") ? key.slice(0, -1) : key;
  for (const segment of body.split("/")) {
    if (segment === "") return "it has an empty path segment";
    if (segment === "." || segment === "..") return `it has a "${segment}" segment`;
    if (!SEGMENT.test(segment)) {
      return `segment "${segment}" has a character outside [A-Za-z0-9._-]`;
    }
  }
  return null;
}

/** Throws a RangeError naming the problem unless `key` is a valid object key. */
export function validateKey(key: string): void {
  const problem = keyProblem(key, false);
  if (problem !== null) throw new RangeError(`Invalid object key "${key}": ${problem}`);
}

/** A list prefix: "" or a key, optionally ending in "/". */
export function validatePrefix(prefix: string): void {
  if (prefix === "") return;
  const problem = keyProblem(prefix, true);
  if (problem !== null) throw new RangeError(`Invalid object key prefix "${prefix}": ${problem}`);
}

/** Throws unless `sizeBytes` fits under the store's cap. */
export function checkObjectSize(key: string, sizeBytes: number, maxObjectBytes: number): void {
  if (sizeBytes > maxObjectBytes) {
    throw new RangeError(
      `Object "${key}" is ${sizeBytes} bytes: the limit is ${maxObjectBytes} bytes`,
    );
  }
}

/** Checks a configured cap: a positive integer. */
export function validateMaxObjectBytes(maxObjectBytes: number): number {
  if (!(Number.isInteger(maxObjectBytes) && maxObjectBytes > 0)) {
    throw new RangeError(
      `Invalid maxObjectBytes ${maxObjectBytes}: expected a positive integer`,
    );
  }
  return maxObjectBytes;
}

/** Deletes every object under `prefix`; returns how many went. */
export async function deletePrefix(store: ObjectStore, prefix: string): Promise<number> {
  validatePrefix(prefix);
  const objects = await store.list(prefix);
  for (const { key } of objects) await store.delete(key);
  return objects.length;
}
