/**
 * The background market (native/sim/) in WebAssembly: the `SimCalls` over
 * the mf_sim_* exports of marketforge.wasm, for the browser miner's offline
 * sandbox (workers/miner/offline_market.ts). The module is loaded and its
 * memory marshalled by engine/simulator_wasm.ts's `WasmCalls`; everything
 * above the calls is engine/sim/simulation.ts, shared with the FFI backend,
 * so a seed and config give the same L3 log here as in the validator
 * (engine/sim/wasm_simulation_test.ts checks it). Without pthreads the
 * module runs every block on the calling thread. Browser-safe.
 *
 * @example
 * ```ts
 * const background = await WasmBackground.instantiate(await (await fetch(wasmUrl)).arrayBuffer());
 * const simulation = background.create(values);
 * ```
 *
 * @module
 */
import { checkAbi } from "@/engine/_abi_engine.ts";
import { INSTRUCTION_BYTES } from "@/engine/_book_layout.ts";
import type { SimParam } from "@/engine/sim/sim_config.ts";
import {
  createSimulation,
  restoreSimulation,
  type SimCalls,
  type Simulation,
} from "@/engine/sim/simulation.ts";
import {
  ERROR_CAPACITY,
  instantiateCalls,
  OUT_ERROR,
  OUT_FIRST_INT64,
  OUT_SECOND_INT64,
  OUT_VALUE,
  type WasmCalls,
} from "@/engine/simulator_wasm.ts";

/** mf_sim_deposit and mf_sim_reset_account: amounts are int64 (bigint) in wasm. */
type FundsExport = (
  sim: number,
  agentId: number,
  bookId: number,
  baseLots: bigint,
  quoteUnits: bigint,
  error: number,
  cap: number,
) => number;

/** SimCalls' deposit and resetAccount arguments. */
type FundsCall = Parameters<SimCalls<number>["deposit"]>;

/** The mf_sim_* exports (abi/marketforge_sim.h); pointers are wasm32 offsets. */
interface SimExports {
  mf_sim_param_count(): number;
  mf_sim_param_name(index: number): number;
  mf_sim_param_doc(index: number): number;
  mf_sim_param_limits(index: number, out: number): number;
  mf_sim_create(values: number, count: number, status: number, error: number, cap: number): number;
  mf_sim_restore(bytes: number, size: number, status: number, error: number, cap: number): number;
  mf_sim_destroy(sim: number): void;
  mf_sim_book_count(sim: number): number;
  mf_sim_now(sim: number): bigint;
  mf_sim_step(sim: number, seconds: number): number;
  mf_sim_pending_events(sim: number): number;
  mf_sim_read_events(sim: number, out: number, capacity: number, written: number): number;
  mf_sim_pending_notices(sim: number): number;
  mf_sim_read_notices(sim: number, out: number, capacity: number, written: number): number;
  mf_sim_mids(sim: number, out: number, count: number): number;
  mf_sim_fundamentals(sim: number, out: number, count: number): number;
  mf_sim_counters(sim: number, out: number): number;
  mf_sim_submit(
    sim: number,
    instructions: number,
    count: number,
    error: number,
    cap: number,
  ): number;
  mf_sim_reset_agent(sim: number, agentId: number, error: number, cap: number): number;
  mf_sim_set_external_price(sim: number, bookId: number, price: number): number;
  mf_sim_check(sim: number, error: number, cap: number): number;
  mf_sim_deposit: FundsExport;
  mf_sim_reset_account: FundsExport;
  mf_sim_book_ledger(sim: number, bookId: number, feeSink: number, ratio: number): number;
  mf_sim_account(sim: number, agentId: number, bookId: number, out: number): number;
  mf_sim_accounts(sim: number, out: number, capacity: number, written: number): number;
  mf_sim_depth(
    sim: number,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: number,
    capacity: number,
    written: number,
  ): number;
  mf_sim_checkpoint_begin(sim: number, size: number): number;
  mf_sim_checkpoint_read(sim: number, out: number, capacity: number): number;
}

const REQUIRED_SIM_EXPORTS: readonly (keyof SimExports)[] = [
  "mf_sim_param_count",
  "mf_sim_param_name",
  "mf_sim_param_doc",
  "mf_sim_param_limits",
  "mf_sim_create",
  "mf_sim_restore",
  "mf_sim_destroy",
  "mf_sim_book_count",
  "mf_sim_now",
  "mf_sim_step",
  "mf_sim_pending_events",
  "mf_sim_read_events",
  "mf_sim_pending_notices",
  "mf_sim_read_notices",
  "mf_sim_mids",
  "mf_sim_fundamentals",
  "mf_sim_counters",
  "mf_sim_submit",
  "mf_sim_reset_agent",
  "mf_sim_set_external_price",
  "mf_sim_check",
  "mf_sim_deposit",
  "mf_sim_reset_account",
  "mf_sim_book_ledger",
  "mf_sim_account",
  "mf_sim_accounts",
  "mf_sim_depth",
  "mf_sim_checkpoint_begin",
  "mf_sim_checkpoint_read",
];

/** A view of a typed array's bytes. */
function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** mf_sim_* through one module instance's linear memory. */
class WasmSimCalls implements SimCalls<number> {
  readonly #calls: WasmCalls;
  readonly #sim: SimExports;

  constructor(calls: WasmCalls) {
    const exports = calls.exports as unknown as SimExports;
    const missing = REQUIRED_SIM_EXPORTS.filter((name) => !(name in exports));
    if (missing.length > 0) {
      throw new TypeError(
        `Cannot use WebAssembly module: it has no background market, missing ${missing.join(", ")}`,
      );
    }
    this.#calls = calls;
    this.#sim = exports;
  }

  /** The settings table (names, τaos defaults, limits), as server/sim/native_simulation.ts simParams. */
  params(): SimParam[] {
    const limits = new Float64Array(4);
    return Array.from({ length: this.#calls.run(() => this.#sim.mf_sim_param_count()) }, (_, i) => {
      this.#intoScratch(limits, (at) => this.#sim.mf_sim_param_limits(i, at));
      return {
        name: this.#calls.cStringAt(this.#sim.mf_sim_param_name(i) >>> 0),
        doc: this.#calls.cStringAt(this.#sim.mf_sim_param_doc(i) >>> 0),
        defaultValue: limits[0],
        min: limits[1],
        max: limits[2],
        integer: limits[3] === 1,
      };
    });
  }

  create(values: Float64Array, status: Int32Array, error: Uint8Array): number | null {
    return this.#opened(
      (at, cap) =>
        this.#sim.mf_sim_create(
          at,
          values.length,
          this.#calls.outArea + OUT_VALUE,
          this.#calls.outArea + OUT_ERROR,
          cap,
        ),
      bytesOf(values),
      status,
      error,
    );
  }

  restore(bytes: Uint8Array, status: Int32Array, error: Uint8Array): number | null {
    return this.#opened(
      (at, cap) =>
        this.#sim.mf_sim_restore(
          at,
          bytes.byteLength,
          this.#calls.outArea + OUT_VALUE,
          this.#calls.outArea + OUT_ERROR,
          cap,
        ),
      bytes,
      status,
      error,
    );
  }

  destroy(sim: number): void {
    this.#calls.run(() => this.#sim.mf_sim_destroy(sim));
  }

  statusMessage(status: number): string {
    return this.#calls.statusMessage(status);
  }

  bookCount(sim: number): number {
    return this.#calls.run(() => this.#sim.mf_sim_book_count(sim));
  }

  now(sim: number): number {
    return this.#calls.run(() => Number(this.#sim.mf_sim_now(sim)));
  }

  step(sim: number, seconds: number): number {
    return this.#calls.run(() => this.#sim.mf_sim_step(sim, seconds));
  }

  pendingEvents(sim: number): number {
    return this.#calls.run(() => this.#sim.mf_sim_pending_events(sim));
  }

  readEvents(sim: number, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.#calls.readRecords(this.#sim.mf_sim_read_events, sim, out, capacity, written);
  }

  pendingNotices(sim: number): number {
    return this.#calls.run(() => this.#sim.mf_sim_pending_notices(sim));
  }

  readNotices(sim: number, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.#calls.readRecords(this.#sim.mf_sim_read_notices, sim, out, capacity, written);
  }

  mids(sim: number, out: Float64Array): number {
    return this.#intoScratch(out, (at) => this.#sim.mf_sim_mids(sim, at, out.length));
  }

  fundamentals(sim: number, out: Float64Array): number {
    return this.#intoScratch(out, (at) => this.#sim.mf_sim_fundamentals(sim, at, out.length));
  }

  counters(sim: number, out: BigUint64Array): number {
    return this.#intoScratch(out, (at) => this.#sim.mf_sim_counters(sim, at));
  }

  submit(sim: number, instructions: Uint8Array, count: number, error: Uint8Array): number {
    return this.#withError(error, (errorAt, cap) => {
      const at = this.#calls.copyIn(instructions.subarray(0, count * INSTRUCTION_BYTES));
      return this.#sim.mf_sim_submit(sim, at, count, errorAt, cap);
    });
  }

  resetAgent(sim: number, agentId: number, error: Uint8Array): number {
    return this.#withError(
      error,
      (errorAt, cap) => this.#sim.mf_sim_reset_agent(sim, agentId, errorAt, cap),
    );
  }

  setExternalPrice(sim: number, bookId: number, price: number): number {
    return this.#calls.run(() => this.#sim.mf_sim_set_external_price(sim, bookId, price));
  }

  check(sim: number, error: Uint8Array): number {
    return this.#withError(error, (errorAt, cap) => this.#sim.mf_sim_check(sim, errorAt, cap));
  }

  deposit(...args: FundsCall): number {
    return this.#funds(this.#sim.mf_sim_deposit, ...args);
  }

  resetAccount(...args: FundsCall): number {
    return this.#funds(this.#sim.mf_sim_reset_account, ...args);
  }

  bookLedger(
    sim: number,
    bookId: number,
    feeSink: BigInt64Array,
    makerTakerRatio: BigInt64Array,
  ): number {
    return this.#calls.run(() => {
      const base = this.#calls.outArea;
      const status = this.#sim.mf_sim_book_ledger(
        sim,
        bookId,
        base + OUT_FIRST_INT64,
        base + OUT_SECOND_INT64,
      );
      const view = new DataView(this.#calls.memory().buffer);
      feeSink[0] = view.getBigInt64(base + OUT_FIRST_INT64, true);
      makerTakerRatio[0] = view.getBigInt64(base + OUT_SECOND_INT64, true);
      return status;
    });
  }

  account(sim: number, agentId: number, bookId: number, out: Uint8Array): number {
    return this.#intoScratch(out, (at) => this.#sim.mf_sim_account(sim, agentId, bookId, at));
  }

  accounts(sim: number, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.#calls.run(() => {
      const at = capacity > 0 ? this.#calls.reserve(out.byteLength) : 0;
      const status = this.#sim.mf_sim_accounts(
        sim,
        at,
        capacity,
        this.#calls.outArea + OUT_VALUE,
      );
      written[0] = this.#calls.u32(OUT_VALUE);
      if (capacity > 0 && written[0] <= capacity) this.#calls.copyOut(at, out, out.byteLength);
      return status;
    });
  }

  depth(
    sim: number,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: Uint8Array,
    written: Uint32Array,
  ): number {
    return this.#calls.run(() => {
      const at = this.#calls.reserve(out.byteLength);
      const status = this.#sim.mf_sim_depth(
        sim,
        bookId,
        maxLevels,
        detailedLevels,
        at,
        out.byteLength,
        this.#calls.outArea + OUT_VALUE,
      );
      written[0] = this.#calls.u32(OUT_VALUE);
      if (written[0] <= out.byteLength) this.#calls.copyOut(at, out, written[0]);
      return status;
    });
  }

  checkpointBegin(sim: number, size: Uint32Array): number {
    return this.#calls.run(() => {
      const status = this.#sim.mf_sim_checkpoint_begin(sim, this.#calls.outArea + OUT_VALUE);
      size[0] = this.#calls.u32(OUT_VALUE);
      return status;
    });
  }

  checkpointRead(sim: number, out: Uint8Array): number {
    return this.#intoScratch(
      out,
      (at) => this.#sim.mf_sim_checkpoint_read(sim, at, out.byteLength),
    );
  }

  /** Calls mf_sim_deposit or mf_sim_reset_account with the error text copied out. */
  #funds(call: FundsExport, ...[sim, agentId, bookId, baseLots, quoteUnits, error]: FundsCall) {
    return this.#withError(
      error,
      (errorAt, cap) =>
        call(sim, agentId, bookId, BigInt(baseLots), BigInt(quoteUnits), errorAt, cap),
    );
  }

  /** Runs `call` with `out`-sized scratch, then copies the scratch into `out`. */
  #intoScratch(out: ArrayBufferView, call: (at: number) => number): number {
    return this.#calls.run(() => {
      const at = this.#calls.reserve(out.byteLength);
      const status = call(at);
      this.#calls.copyOut(at, bytesOf(out), out.byteLength);
      return status;
    });
  }

  /** Runs `call` with the out-area's error text, then copies it into `error`. */
  #withError(error: Uint8Array, call: (at: number, capacity: number) => number): number {
    return this.#calls.run(() => {
      const at = this.#calls.outArea + OUT_ERROR;
      const capacity = Math.min(error.byteLength, ERROR_CAPACITY);
      this.#calls.memory()[at] = 0;
      const status = call(at, capacity);
      this.#calls.copyOut(at, error, capacity);
      return status;
    });
  }

  /** mf_sim_create/restore over `input` copied into scratch. */
  #opened(
    call: (at: number, errorCapacity: number) => number,
    input: Uint8Array,
    status: Int32Array,
    error: Uint8Array,
  ): number | null {
    return this.#calls.run(() => {
      const at = this.#calls.copyIn(input);
      const handle = call(at, Math.min(error.byteLength, ERROR_CAPACITY));
      return this.#calls.created(handle, status, error);
    });
  }
}

/** The background market over one instance of marketforge.wasm. */
export class WasmBackground {
  readonly #calls: WasmSimCalls;

  private constructor(calls: WasmSimCalls) {
    this.#calls = calls;
  }

  /** Compiles (when given bytes) and instantiates the module, checking its ABI and exports. */
  static async instantiate(module: BufferSource | WebAssembly.Module): Promise<WasmBackground> {
    const calls = await instantiateCalls(module);
    checkAbi(calls, "WebAssembly module marketforge.wasm");
    return new WasmBackground(new WasmSimCalls(calls));
  }

  /** The simulator's settings table, to resolve a config against (engine/sim/sim_config.ts). */
  params(): SimParam[] {
    return this.#calls.params();
  }

  /** A new simulation from config values in table order (engine/sim/sim_config.ts). */
  create(values: Float64Array): Simulation<number> {
    return createSimulation(this.#calls, values);
  }

  restore(bytes: Uint8Array): Simulation<number> {
    return restoreSimulation(this.#calls, bytes);
  }
}
