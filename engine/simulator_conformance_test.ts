/**
 * One conformance suite, three implementations: seeded random instruction
 * streams (simulator_conformance.ts) through the FFI backend, the
 * WebAssembly backend and the plain-TS reference book. FFI and WebAssembly
 * must publish identical logs on the whole exchange (events, notices, depth,
 * accounts, ledgers, checkpoint bytes); all three identical L3 events, depth
 * and number of rejections on the reference's subset. The WebAssembly cases report themselves ignored when
 * emscripten is not installed.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import type { BookConfig } from "@/engine/book_records.ts";
import type { Simulator } from "@/engine/simulator.ts";
import {
  EXCHANGE_BOOKS,
  exchangeStream,
  recordEngine,
  recordReference,
  REFERENCE_BOOK,
  REFERENCE_BOOK_NO_FEES,
  referenceStream,
} from "@/engine/simulator_conformance.ts";
import { FfiSimulator } from "@/engine/simulator_ffi.ts";
import { WasmSimulator } from "@/engine/simulator_wasm.ts";
import { ensureNativeBuild, ensureWasmBuild } from "@/server/native_library.ts";

const { libraryPath } = await ensureNativeBuild(() => {});
const wasmPath = await ensureWasmBuild(() => {});
const wasmModule = wasmPath === undefined
  ? undefined
  : new WebAssembly.Module(await Deno.readFile(wasmPath));
const noWasm = wasmModule === undefined;

const SEEDS = [1, 2, 3, 4];
/** 40 batches of 100: 4 000 instructions per seed. */
const BATCHES = 40;
const BATCH_SIZE = 100;
/** Published depth of the reference comparison (τaos §3.3). */
const DEPTH_LEVELS = 21;

async function withSimulators<T>(
  body: (ffi: Simulator, wasm: Simulator) => T,
): Promise<T> {
  const ffi = new FfiSimulator(libraryPath);
  const wasm = await WasmSimulator.instantiate(wasmModule!);
  try {
    return body(ffi, wasm);
  } finally {
    ffi.close();
    wasm.close();
  }
}

/** Asserts that `simulator` matches the reference on `stream`, event for event. */
function matchesReference(simulator: Simulator, book: BookConfig, seed: number): void {
  const stream = referenceStream(seed, BATCHES, BATCH_SIZE);
  const engine = recordEngine(simulator, [book], stream);
  const reference = recordReference(book, stream);
  const accepted = engine.steps.flatMap((step) => step.events).length;
  ok(accepted > BATCHES * BATCH_SIZE / 2, `seed ${seed}: only ${accepted} events`);
  engine.steps.forEach((step, index) =>
    deepEqual(step.events, reference.steps[index], `seed ${seed}, step ${index}`)
  );
  const rejected = engine.steps.flatMap((step) => step.notices)
    .filter((notice) => notice.kind === "rejected").length;
  equal(rejected, reference.rejections, `seed ${seed}: rejections`);
  const levels = (side: "bids" | "asks") =>
    engine.depth[0][side].map((level) => [level.priceTicks, level.quantityLots]);
  deepEqual(levels("bids"), reference.bids.slice(0, DEPTH_LEVELS));
  deepEqual(levels("asks"), reference.asks.slice(0, DEPTH_LEVELS));
}

for (
  const [name, book] of [["fees", REFERENCE_BOOK], ["no fees", REFERENCE_BOOK_NO_FEES]] as const
) {
  Deno.test(`FFI backend matches the TS reference book (${name}, seeds ${SEEDS})`, () => {
    const simulator = new FfiSimulator(libraryPath);
    try {
      for (const seed of SEEDS) matchesReference(simulator, book, seed);
    } finally {
      simulator.close();
    }
  });

  Deno.test({
    name: `WebAssembly backend matches the TS reference book (${name}, seeds ${SEEDS})`,
    ignore: noWasm,
    fn: () =>
      withSimulators((_, wasm) => {
        for (const seed of SEEDS) matchesReference(wasm, book, seed);
      }),
  });
}

Deno.test({
  name: `FFI and WebAssembly publish identical logs on the whole exchange (seeds ${SEEDS})`,
  ignore: noWasm,
  fn: () =>
    withSimulators((ffi, wasm) => {
      const kinds = new Set<string>();
      for (const seed of SEEDS) {
        const stream = exchangeStream(seed, BATCHES, BATCH_SIZE);
        const restoreAt = BATCHES / 2;
        const native = recordEngine(ffi, EXCHANGE_BOOKS, stream, restoreAt);
        const web = recordEngine(wasm, EXCHANGE_BOOKS, stream, restoreAt);
        for (const step of native.steps) for (const notice of step.notices) kinds.add(notice.kind);
        native.steps.forEach((step, index) =>
          deepEqual(web.steps[index], step, `seed ${seed}, step ${index}`)
        );
        deepEqual(web.depth, native.depth);
        deepEqual(web.accounts, native.accounts);
        deepEqual(web.ledgers, native.ledgers);
        deepEqual(web.checkpoint, native.checkpoint);
      }
      deepEqual(
        [...kinds].sort(),
        ["accepted", "cancelled", "positionClosed", "rejected", "trade"],
        "the streams reach every kind of notice",
      );
    }),
});

Deno.test({
  name: "a checkpoint written by one backend restores in the other",
  ignore: noWasm,
  fn: () =>
    withSimulators((ffi, wasm) => {
      const stream = exchangeStream(9, 10, BATCH_SIZE);
      const engine = ffi.createEngine(EXCHANGE_BOOKS);
      for (const [index, batch] of stream.entries()) {
        engine.submit(batch);
        engine.step(index + 1);
      }
      const restored = wasm.restore(engine.checkpoint());
      deepEqual(restored.checkpoint(), engine.checkpoint());
      deepEqual(restored.depth(2), engine.depth(2));
    }),
});
