/**
 * The perf.md §6 order mix on one book through each `Simulator` backend and
 * through the plain-TS reference book, in the same process:
 * 60% limit orders resting near the touch, 30% cancels of a uniformly random
 * earlier order (many already gone), 10% orders crossing the spread — the
 * workload of native/book/order_book_benchmark.cc, here through the whole
 * exchange (validation, fees, L3 events and notices) in batches of
 * BATCH_SIZE instructions: one submit, one step and the drain of every
 * decoded event and notice per batch.
 *
 * Prints, as medians over repeated runs with the ratio to the reference:
 * `book.ffi_mixed_ops` (Deno FFI), `book.wasm_mixed_ops` (WebAssembly, when
 * emscripten is installed), `book.ts_reference_mixed_ops`, and
 * `book.wasm_slowdown_vs_ffi` (FFI rate ÷ WebAssembly rate; the goal is ≤ 3).
 * Deno-only (FFI, files): excluded from the browser type check.
 *
 * @module
 */
import { medianRate, report } from "@/engine/bench_report.ts";
import { type BookConfig, type Instruction, Side, toWire } from "@/engine/book_records.ts";
import { ReferenceBook } from "@/engine/reference_book.ts";
import type { Simulator } from "@/engine/simulator.ts";
import { FfiSimulator } from "@/engine/simulator_ffi.ts";
import { WasmSimulator } from "@/engine/simulator_wasm.ts";
import { ensureNativeBuild, ensureWasmBuild } from "@/server/native_library.ts";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

const OPERATIONS = 200_000;
const BATCH_SIZE = 1_000;
const REPEATS = 5;
const SEED = 7;
const MID_TICKS = 30_000;
/** Resting orders sit 1..NEAR_TOUCH_TICKS from the mid; crossing orders reach CROSSING_TICKS past it. */
const NEAR_TOUCH_TICKS = 50;
const CROSSING_TICKS = 60;
const MAX_LOTS = 100;
const DECIMALS = 2;
/** Two agents funded far beyond the workload (2^50 lots and quote units). */
const FUNDING = 2 ** 50;

/** Static fees as in native/exchange/engine_benchmark.cc (τaos taker fee), no open-order limit. */
const BOOK: BookConfig = {
  priceDecimals: DECIMALS,
  volumeDecimals: DECIMALS,
  minOrderLots: 1,
  maxOpenOrders: 0,
  fees: { type: "static", makerRate: 0, takerRate: 230_000 },
  maxLeverage: 0,
  maxLoan: 0,
  maintenanceMargin: 0,
};

/** The mix, in batches; agent 1 rests and cancels, agent 2 crosses. */
function mixedBatches(seed: number): Instruction[][] {
  const generator = xoroshiro128plus(seed);
  const int = (from: number, to: number) => uniformInt(generator, from, to);
  const instructions: Instruction[] = [];
  let placed = 0;
  for (let i = 0; i < OPERATIONS; i++) {
    const roll = int(0, 99);
    const side = int(0, 1) as Side;
    const sign = side === Side.Buy ? -1 : 1;
    const quantity = toWire(int(1, MAX_LOTS), DECIMALS);
    if (roll < 30 && placed > 0) {
      instructions.push({ kind: "cancel", agentId: 1, bookId: 0, orderId: int(1, placed) });
      continue;
    }
    const agentId = roll < 40 ? 2 : 1;
    const ticks = roll < 40
      ? MID_TICKS - sign * CROSSING_TICKS
      : MID_TICKS + sign * int(1, NEAR_TOUCH_TICKS);
    instructions.push({
      kind: "limit",
      agentId,
      bookId: 0,
      side,
      price: toWire(ticks, DECIMALS),
      quantity,
    });
    placed++;
  }
  const batches: Instruction[][] = [];
  for (let first = 0; first < OPERATIONS; first += BATCH_SIZE) {
    batches.push(instructions.slice(first, first + BATCH_SIZE));
  }
  return batches;
}

function simulatorRate(simulator: Simulator, batches: Instruction[][]): number {
  return medianRate(OPERATIONS, () => {
    const engine = simulator.createEngine([BOOK]);
    for (const agent of [1, 2]) engine.deposit(agent, 0, FUNDING, FUNDING);
    for (const [index, batch] of batches.entries()) {
      engine.submit(batch);
      engine.step(index + 1);
    }
    engine.close();
  }, REPEATS);
}

function referenceRate(batches: Instruction[][]): number {
  return medianRate(OPERATIONS, () => {
    const reference = new ReferenceBook(BOOK);
    for (const agent of [1, 2]) reference.deposit(agent);
    for (const [index, batch] of batches.entries()) {
      reference.submit(batch);
      reference.step(index + 1);
    }
  }, REPEATS);
}

const batches = mixedBatches(SEED);
const { libraryPath } = await ensureNativeBuild((line) => console.error(line));
const wasmPath = await ensureWasmBuild((line) => console.error(line));

const referenceOps = referenceRate(batches);
const ratio = (value: number) => ({ ratio: value / referenceOps, ratio_to: "ts_reference" });

const ffi = new FfiSimulator(libraryPath);
const ffiOps = simulatorRate(ffi, batches);
ffi.close();
report({ bench: "book.ffi_mixed_ops", value: Math.round(ffiOps), unit: "ops/s", ...ratio(ffiOps) });

if (wasmPath === undefined) {
  console.error("emscripten (em++) is not installed: book.wasm_mixed_ops skipped");
} else {
  const wasm = await WasmSimulator.instantiate(await Deno.readFile(wasmPath));
  const wasmOps = simulatorRate(wasm, batches);
  wasm.close();
  report({
    bench: "book.wasm_mixed_ops",
    value: Math.round(wasmOps),
    unit: "ops/s",
    ...ratio(wasmOps),
  });
  report({ bench: "book.wasm_slowdown_vs_ffi", value: ffiOps / wasmOps, unit: "x" });
}
report({
  bench: "book.ts_reference_mixed_ops",
  value: Math.round(referenceOps),
  unit: "ops/s",
  ratio: 1,
  ratio_to: "ts_reference",
});
