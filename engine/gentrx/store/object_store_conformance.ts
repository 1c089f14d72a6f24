/**
 * The behaviour every `ObjectStore` must have, as one suite the local folder
 * (server/object_store/local_folder_store_test.ts) and the S3 store against a
 * real s3rver (s3_object_store_test.ts) both run. Browser-safe (no Deno or
 * Node APIs), so it could run in a worker against a browser's bucket too.
 *
 * @module
 */
import {
  deletePrefix,
  MAX_KEY_LENGTH,
  type ObjectStore,
} from "@/engine/gentrx/store/object_store.ts";

/** The subset of `Deno.TestContext` the suite needs. */
export interface StepRunner {
  step(name: string, fn: () => Promise<void>): Promise<boolean>;
}

function fail(message: string): never {
  throw new Error(`Object store conformance: ${message}`);
}

function expectBytes(actual: Uint8Array | null, expected: Uint8Array, what: string): void {
  if (actual === null) fail(`${what}: got null, expected ${expected.length} bytes`);
  if (actual.length !== expected.length || actual.some((byte, i) => byte !== expected[i])) {
    fail(`${what}: got ${actual.length} different bytes, expected ${expected.length}`);
  }
}

function expectEqual<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: got ${a}, expected ${e}`);
}

async function expectRejects(
  run: () => Promise<unknown>,
  pattern: RegExp,
  what: string,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof RangeError) || !pattern.test(error.message)) {
      fail(`${what}: threw ${error}, expected a RangeError matching ${pattern}`);
    }
    return;
  }
  fail(`${what}: did not throw`);
}

/** Deterministic test bytes. */
function bytesOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/**
 * Runs every case as a test step; `makeStore` gives an empty store capped at
 * `CONFORMANCE_MAX_OBJECT_BYTES`.
 */
export async function runObjectStoreConformance(
  t: StepRunner,
  makeStore: () => Promise<ObjectStore>,
): Promise<void> {
  const cases: Record<string, (store: ObjectStore) => Promise<void>> = {
    "put then get returns the same bytes; a missing key is null": async (store) => {
      const bytes = bytesOf(70_000, 1);
      await store.put("gentrx/testnet/gradients/7/00000001.grad", bytes);
      expectBytes(await store.get("gentrx/testnet/gradients/7/00000001.grad"), bytes, "get");
      expectEqual(await store.get("gentrx/testnet/gradients/7/00000002.grad"), null, "missing");
      await store.put("empty", new Uint8Array(0));
      expectBytes(await store.get("empty"), new Uint8Array(0), "empty object");
    },
    "put replaces an object": async (store) => {
      await store.put("a/b", bytesOf(100, 2));
      await store.put("a/b", bytesOf(10, 3));
      expectBytes(await store.get("a/b"), bytesOf(10, 3), "replaced");
      expectEqual(await store.list("a/"), [{ key: "a/b", sizeBytes: 10 }], "list after replace");
    },
    "list filters by prefix and sorts by key, with sizes": async (store) => {
      const keys = ["x/2/b.parquet", "x/10/a.parquet", "x/1/c.parquet", "y/1", "x1"];
      for (const [i, key] of keys.entries()) await store.put(key, bytesOf(i + 1, i));
      expectEqual(
        await store.list("x/"),
        [
          { key: "x/1/c.parquet", sizeBytes: 3 },
          { key: "x/10/a.parquet", sizeBytes: 2 },
          { key: "x/2/b.parquet", sizeBytes: 1 },
        ],
        "list x/",
      );
      expectEqual((await store.list("x")).map((o) => o.key).length, 4, "list x (no slash)");
      expectEqual((await store.list("")).length, 5, "list everything");
      expectEqual(await store.list("z/"), [], "list of an empty prefix");
    },
    "delete removes one object; deleting an absent key is fine": async (store) => {
      await store.put("d/1", bytesOf(5, 4));
      await store.put("d/2", bytesOf(5, 5));
      await store.delete("d/1");
      await store.delete("d/1");
      await store.delete("never/was");
      expectEqual(await store.get("d/1"), null, "deleted");
      expectEqual((await store.list("d/")).map((o) => o.key), ["d/2"], "the other stays");
      expectEqual(await deletePrefix(store, "d/"), 1, "deletePrefix count");
      expectEqual(await store.list(""), [], "empty after deletePrefix");
    },
    "keys are validated with clear errors": async (store) => {
      for (
        const [key, pattern] of [
          ["", /empty path segment/],
          ["/abs", /empty path segment/],
          ["a//b", /empty path segment/],
          ["a/../b", /"\.\." segment/],
          ["./a", /"\." segment/],
          ["a b", /outside \[A-Za-z0-9\._-\]/],
          ["ü", /outside/],
          ["a/", /empty path segment/],
          ["k".repeat(MAX_KEY_LENGTH + 1), /the limit is 1024/],
        ] as const
      ) {
        await expectRejects(() => store.put(key, new Uint8Array(1)), pattern, `put "${key}"`);
        await expectRejects(() => store.get(key), pattern, `get "${key}"`);
        await expectRejects(() => store.delete(key), pattern, `delete "${key}"`);
      }
      await expectRejects(() => store.list("../"), /"\.\." segment/, "list ../");
      expectEqual(await store.list(""), [], "nothing was written");
    },
    "objects over the size cap are refused on put": async (store) => {
      const cap = store.maxObjectBytes;
      await store.put("cap/at", new Uint8Array(cap));
      await expectRejects(
        () => store.put("cap/over", new Uint8Array(cap + 1)),
        new RegExp(`is ${cap + 1} bytes: the limit is ${cap} bytes`),
        "put over the cap",
      );
      expectEqual((await store.list("cap/")).map((o) => o.key), ["cap/at"], "only the one at cap");
    },
  };
  for (const [name, run] of Object.entries(cases)) {
    await t.step(name, async () => run(await makeStore()));
  }
}

/** The cap `makeStore` should give its stores, small so the cap case is cheap. */
export const CONFORMANCE_MAX_OBJECT_BYTES = 256 * 1024;
