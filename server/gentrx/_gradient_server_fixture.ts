/**
 * What the GradientServer's tests, its bench and the GenTRX round e2e test
 * share: the tiny model's server options, a temporary bucket and KV, a bucket
 * of synthetic pages, deltas of the tiny model's shapes, and a bit-for-bit
 * comparison of two models.
 *
 * @module
 */
import { deepEqual, equal } from "node:assert/strict";
import { Side } from "@/engine/book_records.ts";
import { TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import type { ModelDelta } from "@/engine/gentrx/compression/delta_codec.ts";
import { modelShapes } from "@/engine/gentrx/compression/miner_delta.ts";
import type { GenTrxModel } from "@/engine/gentrx/model.ts";
import type { ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";
import { syntheticTick } from "@/server/gentrx/_synthetic_tick.ts";
import type { GradientServerOptions } from "@/server/gentrx/gradient_server.ts";
import { TrainingData } from "@/server/gentrx/training_data.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";

export const SCOPE = { network: "local", source: "simulation" } as const;

/** The tiny server's scoring batches: 2 sequences of 4 tokens. */
export const TINY_BATCH = { seqLen: 4, batchSize: 2 } as const;

/**
 * Validator 0 of the local simulation serving the tiny model from
 * `modelSeed`: the set-up every GradientServer in the tests, the bench and
 * the e2e test starts from, kept in one place so they build the same server;
 * each adds its batches and round rules.
 */
export function tinyModelOptions(
  kv: Deno.Kv,
  store: ObjectStore,
  data: TrainingData,
  modelSeed = 1,
) {
  return {
    kv,
    store,
    data,
    scope: SCOPE,
    validatorUid: 0,
    modelConfig: TINY_GENTRX_CONFIG,
    modelSeed,
  } satisfies Partial<GradientServerOptions>;
}

/**
 * A GradientServer on the tiny model with small batches and 1 s rounds,
 * scoring from round 1. Its clock stands still: the tests that use it are
 * about what scoring decides, and on a busy machine a real clock made their
 * uploads late (scored 0) now and then. Timeouts are tested with a clock of
 * their own (gradient_server_test.ts).
 */
export function tinyServer(kv: Deno.Kv, store: ObjectStore, data: TrainingData) {
  return {
    ...tinyModelOptions(kv, store, data),
    ...TINY_BATCH,
    roundMs: 1000,
    warmupRounds: 0,
    now: () => 0,
  } satisfies GradientServerOptions;
}

/** Runs `test` on a temporary folder and an in-memory KV, and removes both after. */
export async function withBucket(
  test: (root: string, kv: Deno.Kv) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "mf_gentrx_server_" });
  const kv = await Deno.openKv(":memory:");
  try {
    await test(root, kv);
  } finally {
    kv.close();
    await Deno.remove(root, { recursive: true });
  }
}

/** An empty folder bucket under `root` and its TrainingData, 40 rows a page. */
export function folderBucket(root: string) {
  const store = new LocalFolderStore(root);
  const data = new TrainingData({ store, scope: SCOPE, validatorUid: 0, rowsPerPage: 40 });
  return { store, data };
}

/**
 * Two books of synthetic placements in a folder bucket under `root`:
 * enough pages for a round. `skewed` moves book 1's orders 150 ticks out and
 * makes them 40 times larger, so the books no longer look alike and a delta
 * fitted to one does not carry over to the other.
 */
export async function fillPages(root: string, options: { skewed?: boolean } = {}) {
  const { store, data } = folderBucket(root);
  for (let step = 1; step <= 12; step++) {
    const tick = syntheticTick(step, "s");
    if (options.skewed) {
      tick.books[1].events = tick.books[1].events.map((event) =>
        event.kind === "placed" && event.priceTicks !== null
          ? {
            ...event,
            priceTicks: event.priceTicks + (event.side === Side.Buy ? -150 : 150),
            quantityLots: event.quantityLots * 40,
          }
          : event
      );
    }
    await data.ingest(tick);
  }
  return { store, data };
}

/** A delta of the tiny model's shapes with seeded normal values of deviation `std` (0: zeros). */
export function tinyDelta(std: number, seed = 1): ModelDelta {
  const random = new SeededRandom(seed);
  const shapes = modelShapes(TINY_GENTRX_CONFIG);
  const values = new Map([...shapes].map(([name, shape]) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return [name, std === 0 ? new Float32Array(count) : random.normals(count, std)];
  }));
  return { values, shapes };
}

/** Every tensor of `actual` has exactly `expected`'s bits. */
export function assertSameWeights(actual: GenTrxModel, expected: GenTrxModel): void {
  equal(actual.parameters.size, expected.parameters.size);
  for (const [name, values] of expected.parameters) {
    const bits = (array: Float32Array) =>
      new Uint32Array(array.buffer, array.byteOffset, array.length);
    deepEqual(bits(actual.parameters.get(name)!), bits(values), `tensor "${name}" differs`);
  }
}
