/**
 * What the GradientServer's tests share: a tiny server's options, a bucket
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
import { SeededRandom } from "@/engine/seeded_random.ts";
import { syntheticTick } from "@/server/gentrx/_synthetic_tick.ts";
import type { GradientServerOptions } from "@/server/gentrx/gradient_server.ts";
import { TrainingData } from "@/server/gentrx/training_data.ts";
import { LocalFolderStore } from "@/server/object_store/local_folder_store.ts";

export const SCOPE = { network: "local", source: "simulation" } as const;

/** A GradientServer on the tiny model with small batches and 1 s rounds, scoring from round 1. */
export function tinyServer(kv: Deno.Kv, store: LocalFolderStore, data: TrainingData) {
  return {
    kv,
    store,
    data,
    scope: SCOPE,
    validatorUid: 0,
    modelConfig: TINY_GENTRX_CONFIG,
    modelSeed: 1,
    seqLen: 4,
    batchSize: 2,
    roundMs: 1000,
    warmupRounds: 0,
  } satisfies GradientServerOptions;
}

/**
 * Two books of synthetic placements in a folder bucket under `root`:
 * enough pages for a round. `skewed` moves book 1's orders 150 ticks out and
 * makes them 40 times larger, so the books no longer look alike and a delta
 * fitted to one does not carry over to the other.
 */
export async function fillPages(root: string, options: { skewed?: boolean } = {}) {
  const store = new LocalFolderStore(root);
  const data = new TrainingData({ store, scope: SCOPE, validatorUid: 0, rowsPerPage: 40 });
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
