/**
 * The WebAssembly `Simulator` backend: native/ compiled by emscripten into a
 * standalone module (build/wasm/marketforge.wasm, native/CMakeLists.txt's
 * EMSCRIPTEN branch), for browser workers and anywhere without FFI.
 * Browser-safe: it takes the module's bytes or a compiled
 * `WebAssembly.Module` and uses no Deno API.
 *
 * It only supplies the `AbiCalls`: arguments are copied into scratch space
 * in the module's linear memory and results copied back out; the engine
 * logic is shared with the FFI backend in _abi_engine.ts. If the module ever
 * traps (a bug, or memory exhausted), its state cannot be trusted: every
 * later call throws instead of running on a corrupted heap.
 *
 * @example
 * ```ts
 * const simulator = await WasmSimulator.instantiate(await (await fetch(wasmUrl)).arrayBuffer());
 * const engine = simulator.createEngine([TAOS_BOOK_CONFIG]);
 * ```
 *
 * @module
 */
import { type AbiCalls, type NativeLayoutSizes } from "@/engine/_abi_calls.ts";
import { AbiSimulator, checkAbi } from "@/engine/_abi_engine.ts";
import { INSTRUCTION_BYTES, RECORD_BYTES } from "@/engine/_book_layout.ts";

/** The module's exports this backend calls (abi/marketforge.h, plus libc and WASI reactor). */
interface MarketforgeExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(size: number): number;
  free(pointer: number): void;
  mf_abi_version(): number;
  mf_instruction_size(): number;
  mf_record_size(): number;
  mf_book_config_size(): number;
  mf_account_size(): number;
  mf_depth_entry_size(): number;
  mf_status_message(status: number): number;
  mf_engine_create(
    configs: number,
    bookCount: number,
    status: number,
    error: number,
    errorCapacity: number,
  ): number;
  mf_engine_destroy(engine: number): void;
  mf_engine_book_count(engine: number): number;
  mf_engine_now(engine: number): bigint;
  mf_engine_deposit(
    engine: number,
    agentId: number,
    bookId: number,
    baseLots: bigint,
    quoteUnits: bigint,
  ): number;
  mf_engine_reset_account(
    engine: number,
    agentId: number,
    bookId: number,
    baseLots: bigint,
    quoteUnits: bigint,
  ): number;
  mf_engine_submit(engine: number, instructions: number, count: number): number;
  mf_engine_step(engine: number, untilNs: bigint): number;
  mf_engine_pending_events(engine: number): number;
  mf_engine_pending_notices(engine: number): number;
  mf_engine_read_events(engine: number, out: number, capacity: number, written: number): number;
  mf_engine_read_notices(engine: number, out: number, capacity: number, written: number): number;
  mf_engine_depth(
    engine: number,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: number,
    capacity: number,
    written: number,
  ): number;
  mf_engine_account(engine: number, agentId: number, bookId: number, out: number): number;
  mf_engine_accounts(engine: number, out: number, capacity: number, written: number): number;
  mf_engine_book_ledger(engine: number, bookId: number, feeSink: number, ratio: number): number;
  mf_engine_check(engine: number, error: number, errorCapacity: number): number;
  mf_engine_checkpoint_size(engine: number, size: number): number;
  mf_engine_checkpoint_write(
    engine: number,
    out: number,
    capacity: number,
    written: number,
  ): number;
  mf_engine_restore(
    bytes: number,
    size: number,
    status: number,
    error: number,
    errorCapacity: number,
  ): number;
}

/** Every export MarketforgeExports declares, checked before the first call. */
const REQUIRED_EXPORTS: readonly (keyof MarketforgeExports)[] = [
  "memory",
  "_initialize",
  "malloc",
  "free",
  "mf_abi_version",
  "mf_instruction_size",
  "mf_record_size",
  "mf_book_config_size",
  "mf_account_size",
  "mf_depth_entry_size",
  "mf_status_message",
  "mf_engine_create",
  "mf_engine_destroy",
  "mf_engine_book_count",
  "mf_engine_now",
  "mf_engine_deposit",
  "mf_engine_reset_account",
  "mf_engine_submit",
  "mf_engine_step",
  "mf_engine_pending_events",
  "mf_engine_pending_notices",
  "mf_engine_read_events",
  "mf_engine_read_notices",
  "mf_engine_depth",
  "mf_engine_account",
  "mf_engine_accounts",
  "mf_engine_book_ledger",
  "mf_engine_check",
  "mf_engine_checkpoint_size",
  "mf_engine_checkpoint_write",
  "mf_engine_restore",
];

/** Fixed scratch for out-parameters: a 32-bit value at 0, two int64s at 8 and 16, error text at 24. */
export const OUT_VALUE = 0;
export const OUT_FIRST_INT64 = 8;
export const OUT_SECOND_INT64 = 16;
export const OUT_ERROR = 24;
export const ERROR_CAPACITY = 256;
const OUT_BYTES = OUT_ERROR + ERROR_CAPACITY;
/** Bulk scratch (instructions in, records out) before it first grows: 4096 records. */
const INITIAL_SCRATCH_BYTES = RECORD_BYTES * 4096;

/** Thrown by the `proc_exit` import: the module called exit() or abort(). */
class ModuleExit extends Error {}

/**
 * The `mf_*` functions of one module instance, called through its linear
 * memory. Its marshalling helpers (run, reserve, copyIn, copyOut, u32 of the
 * out-area, readRecords) are public for the background market's backend
 * (engine/sim/wasm_simulation.ts), which calls the same instance's mf_sim_*.
 */
export class WasmCalls implements AbiCalls<number> {
  readonly exports: MarketforgeExports;
  #heap: Uint8Array;
  readonly outArea: number;
  #scratch = 0;
  #scratchBytes = 0;
  #failure: string | undefined;

  constructor(exports: MarketforgeExports) {
    this.exports = exports;
    this.#heap = new Uint8Array(exports.memory.buffer);
    exports._initialize();
    this.outArea = this.#allocate(OUT_BYTES);
  }

  abiVersion(): number {
    return this.run(() => this.exports.mf_abi_version());
  }

  layoutSizes(): NativeLayoutSizes {
    return this.run(() => ({
      instruction: this.exports.mf_instruction_size(),
      record: this.exports.mf_record_size(),
      bookConfig: this.exports.mf_book_config_size(),
      account: this.exports.mf_account_size(),
      depthEntry: this.exports.mf_depth_entry_size(),
    }));
  }

  statusMessage(status: number): string {
    return this.run(() => this.cStringAt(this.exports.mf_status_message(status) >>> 0));
  }

  engineCreate(
    configs: Uint8Array,
    bookCount: number,
    status: Int32Array,
    error: Uint8Array,
  ): number | null {
    return this.run(() => {
      const at = this.copyIn(configs);
      const engine = this.exports.mf_engine_create(
        at,
        bookCount,
        this.outArea + OUT_VALUE,
        this.outArea + OUT_ERROR,
        Math.min(error.byteLength, ERROR_CAPACITY),
      );
      return this.created(engine, status, error);
    });
  }

  engineRestore(bytes: Uint8Array, status: Int32Array, error: Uint8Array): number | null {
    return this.run(() => {
      const at = this.copyIn(bytes);
      const engine = this.exports.mf_engine_restore(
        at,
        bytes.byteLength,
        this.outArea + OUT_VALUE,
        this.outArea + OUT_ERROR,
        Math.min(error.byteLength, ERROR_CAPACITY),
      );
      return this.created(engine, status, error);
    });
  }

  engineDestroy(engine: number): void {
    // After a trap or close the whole instance is abandoned, engines included.
    if (this.#failure !== undefined) return;
    this.run(() => this.exports.mf_engine_destroy(engine));
  }

  bookCount(engine: number): number {
    return this.run(() => this.exports.mf_engine_book_count(engine));
  }

  nowNs(engine: number): number {
    return this.run(() => Number(this.exports.mf_engine_now(engine)));
  }

  deposit(
    engine: number,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number {
    return this.run(() =>
      this.exports.mf_engine_deposit(engine, agentId, bookId, BigInt(baseLots), BigInt(quoteUnits))
    );
  }

  resetAccount(
    engine: number,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number {
    return this.run(() =>
      this.exports.mf_engine_reset_account(
        engine,
        agentId,
        bookId,
        BigInt(baseLots),
        BigInt(quoteUnits),
      )
    );
  }

  submit(engine: number, instructions: Uint8Array, count: number): number {
    return this.run(() => {
      const bytes = instructions.subarray(0, count * INSTRUCTION_BYTES);
      return this.exports.mf_engine_submit(engine, this.copyIn(bytes), count);
    });
  }

  step(engine: number, untilNs: number): number {
    return this.run(() => this.exports.mf_engine_step(engine, BigInt(untilNs)));
  }

  pendingEvents(engine: number): number {
    return this.run(() => this.exports.mf_engine_pending_events(engine));
  }

  pendingNotices(engine: number): number {
    return this.run(() => this.exports.mf_engine_pending_notices(engine));
  }

  readEvents(engine: number, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.readRecords(this.exports.mf_engine_read_events, engine, out, capacity, written);
  }

  readNotices(engine: number, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.readRecords(this.exports.mf_engine_read_notices, engine, out, capacity, written);
  }

  depth(
    engine: number,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: Uint8Array,
    written: Uint32Array,
  ): number {
    return this.run(() => {
      const at = this.reserve(out.byteLength);
      const status = this.exports.mf_engine_depth(
        engine,
        bookId,
        maxLevels,
        detailedLevels,
        at,
        out.byteLength,
        this.outArea + OUT_VALUE,
      );
      written[0] = this.u32(OUT_VALUE);
      if (written[0] <= out.byteLength) this.copyOut(at, out, written[0]);
      return status;
    });
  }

  account(engine: number, agentId: number, bookId: number, out: Uint8Array): number {
    return this.run(() => {
      const at = this.reserve(out.byteLength);
      const status = this.exports.mf_engine_account(engine, agentId, bookId, at);
      this.copyOut(at, out, out.byteLength);
      return status;
    });
  }

  accounts(engine: number, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.run(() => {
      const at = this.reserve(out.byteLength);
      const status = this.exports.mf_engine_accounts(
        engine,
        at,
        capacity,
        this.outArea + OUT_VALUE,
      );
      written[0] = this.u32(OUT_VALUE);
      if (written[0] <= capacity) this.copyOut(at, out, out.byteLength);
      return status;
    });
  }

  bookLedger(
    engine: number,
    bookId: number,
    feeSink: BigInt64Array,
    makerTakerRatio: BigInt64Array,
  ): number {
    return this.run(() => {
      const status = this.exports.mf_engine_book_ledger(
        engine,
        bookId,
        this.outArea + OUT_FIRST_INT64,
        this.outArea + OUT_SECOND_INT64,
      );
      const view = new DataView(this.memory().buffer);
      feeSink[0] = view.getBigInt64(this.outArea + OUT_FIRST_INT64, true);
      makerTakerRatio[0] = view.getBigInt64(this.outArea + OUT_SECOND_INT64, true);
      return status;
    });
  }

  check(engine: number, error: Uint8Array): number {
    return this.run(() => {
      const capacity = Math.min(error.byteLength, ERROR_CAPACITY);
      this.memory()[this.outArea + OUT_ERROR] = 0;
      const status = this.exports.mf_engine_check(engine, this.outArea + OUT_ERROR, capacity);
      this.copyOut(this.outArea + OUT_ERROR, error, capacity);
      return status;
    });
  }

  checkpointSize(engine: number, size: Uint32Array): number {
    return this.run(() => {
      const status = this.exports.mf_engine_checkpoint_size(engine, this.outArea + OUT_VALUE);
      size[0] = this.u32(OUT_VALUE);
      return status;
    });
  }

  checkpointWrite(engine: number, out: Uint8Array, written: Uint32Array): number {
    return this.run(() => {
      const at = this.reserve(out.byteLength);
      const status = this.exports.mf_engine_checkpoint_write(
        engine,
        at,
        out.byteLength,
        this.outArea + OUT_VALUE,
      );
      written[0] = this.u32(OUT_VALUE);
      if (written[0] <= out.byteLength) this.copyOut(at, out, written[0]);
      return status;
    });
  }

  close(): void {
    // The instance is garbage-collected with its memory; nothing else to release.
    this.#failure ??= "it is closed";
  }

  readRecords(
    read: (engine: number, out: number, capacity: number, written: number) => number,
    engine: number,
    out: Uint8Array,
    capacity: number,
    written: Uint32Array,
  ): number {
    return this.run(() => {
      const at = this.reserve(out.byteLength);
      const status = read(engine, at, capacity, this.outArea + OUT_VALUE);
      written[0] = this.u32(OUT_VALUE);
      this.copyOut(at, out, Math.min(out.byteLength, written[0] * RECORD_BYTES));
      return status;
    });
  }

  /** Runs `call` unless the module failed before; a trap or exit poisons the instance. */
  run<T>(call: () => T): T {
    if (this.#failure !== undefined) {
      throw new Error(`Cannot use the WebAssembly simulator: ${this.#failure}`);
    }
    try {
      return call();
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError || error instanceof ModuleExit) {
        this.#failure = `it trapped earlier (${error.message})`;
        throw new Error(`Cannot use the WebAssembly simulator: ${this.#failure}`);
      }
      throw error;
    }
  }

  /** The current view of linear memory, renewed after the memory grew (its buffer is replaced). */
  memory(): Uint8Array {
    if (this.#heap.buffer !== this.exports.memory.buffer) {
      this.#heap = new Uint8Array(this.exports.memory.buffer);
    }
    return this.#heap;
  }

  #allocate(bytes: number): number {
    const pointer = this.exports.malloc(bytes) >>> 0;
    if (pointer === 0) {
      throw new RangeError(`Cannot allocate ${bytes} bytes in WebAssembly memory: out of memory`);
    }
    return pointer;
  }

  /** A scratch area of at least `bytes`, reused across calls. */
  reserve(bytes: number): number {
    if (bytes > this.#scratchBytes) {
      if (this.#scratch !== 0) this.exports.free(this.#scratch);
      this.#scratch = 0;
      this.#scratchBytes = Math.max(bytes, INITIAL_SCRATCH_BYTES, this.#scratchBytes * 2);
      this.#scratch = this.#allocate(this.#scratchBytes);
    }
    return this.#scratch;
  }

  copyIn(bytes: Uint8Array): number {
    const at = this.reserve(bytes.byteLength);
    this.memory().set(bytes, at);
    return at;
  }

  copyOut(at: number, out: Uint8Array, bytes: number): void {
    out.set(this.memory().subarray(at, at + bytes));
  }

  u32(offset: number): number {
    const at = this.outArea + offset;
    const heap = this.memory();
    return (heap[at] | heap[at + 1] << 8 | heap[at + 2] << 16 | heap[at + 3] << 24) >>> 0;
  }

  created(engine: number, status: Int32Array, error: Uint8Array): number | null {
    status[0] = this.u32(OUT_VALUE) | 0;
    if (engine !== 0) return engine >>> 0;
    this.copyOut(this.outArea + OUT_ERROR, error, Math.min(error.byteLength, ERROR_CAPACITY));
    return null;
  }

  cStringAt(at: number): string {
    const heap = this.memory();
    const end = heap.indexOf(0, at);
    return new TextDecoder().decode(heap.subarray(at, end < 0 ? heap.length : end));
  }
}

/**
 * Compiles (when given bytes) and instantiates marketforge.wasm, checking it
 * exports what `MarketforgeExports` declares (ABI version and layouts are
 * checked by the backends).
 */
export async function instantiateCalls(
  module: BufferSource | WebAssembly.Module,
): Promise<WasmCalls> {
  const compiled = module instanceof WebAssembly.Module
    ? module
    : await WebAssembly.compile(module);
  const instance = await WebAssembly.instantiate(compiled, {
    // Views are renewed lazily when the buffer changes, so growth needs no action here.
    env: { emscripten_notify_memory_growth: () => {} },
    wasi_snapshot_preview1: {
      proc_exit: (code: number) => {
        throw new ModuleExit(`the module exited with code ${code}`);
      },
    },
  });
  const missing = REQUIRED_EXPORTS.filter((name) => !(name in instance.exports));
  if (missing.length > 0) {
    throw new TypeError(
      `Cannot use WebAssembly module: it is not marketforge.wasm, missing ${missing.join(", ")}`,
    );
  }
  return new WasmCalls(instance.exports as unknown as MarketforgeExports);
}

/** The simulator over one instance of marketforge.wasm. */
export class WasmSimulator extends AbiSimulator<number> {
  /** Compiles (when given bytes) and instantiates the module, then checks its ABI version and layouts. */
  static async instantiate(module: BufferSource | WebAssembly.Module): Promise<WasmSimulator> {
    return new WasmSimulator(await instantiateCalls(module));
  }

  private constructor(calls: WasmCalls) {
    checkAbi(calls, "WebAssembly module marketforge.wasm");
    super(calls);
  }
}
