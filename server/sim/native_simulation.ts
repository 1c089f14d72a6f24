/**
 * The background market (native/sim/, abi/marketforge_sim.h) opened with
 * Deno.dlopen: create a simulation from a resolved config, step it one
 * simulated second at a time, drain its L3 events (raw 80-byte records,
 * engine/_book_layout.ts decodes them), read mids and counters, checkpoint
 * and restore it.
 *
 * @module
 */
import { cString, type EngineCalls } from "@/engine/_abi_calls.ts";
import { engineOver } from "@/engine/_abi_engine.ts";
import { encodeInstructions, RECORD_BYTES } from "@/engine/_book_layout.ts";
import type { Instruction } from "@/engine/book_records.ts";
import type { SimParam } from "@/engine/sim/sim_config.ts";
import type { Engine } from "@/engine/simulator.ts";
import { ensureNativeBuild } from "@/server/native_library.ts";

const symbols = {
  mf_sim_param_count: { parameters: [], result: "u32" },
  mf_sim_param_name: { parameters: ["u32"], result: "pointer" },
  mf_sim_param_doc: { parameters: ["u32"], result: "pointer" },
  mf_sim_param_limits: { parameters: ["u32", "buffer"], result: "i32" },
  mf_sim_create: { parameters: ["buffer", "u32", "buffer", "buffer", "u32"], result: "pointer" },
  mf_sim_destroy: { parameters: ["pointer"], result: "void" },
  mf_sim_book_count: { parameters: ["pointer"], result: "u32" },
  mf_sim_now: { parameters: ["pointer"], result: "i64" },
  mf_sim_step: { parameters: ["pointer", "u32"], result: "i32" },
  mf_sim_pending_events: { parameters: ["pointer"], result: "u32" },
  mf_sim_read_events: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  mf_sim_pending_notices: { parameters: ["pointer"], result: "u32" },
  mf_sim_read_notices: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  mf_sim_mids: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  mf_sim_fundamentals: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  mf_sim_counters: { parameters: ["pointer", "buffer"], result: "i32" },
  mf_sim_submit: { parameters: ["pointer", "buffer", "u32", "buffer", "u32"], result: "i32" },
  mf_sim_reset_agent: { parameters: ["pointer", "i32", "buffer", "u32"], result: "i32" },
  mf_sim_set_external_price: { parameters: ["pointer", "u32", "f64"], result: "i32" },
  mf_sim_check: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  mf_sim_deposit: {
    parameters: ["pointer", "i32", "u32", "i64", "i64", "buffer", "u32"],
    result: "i32",
  },
  mf_sim_reset_account: {
    parameters: ["pointer", "i32", "u32", "i64", "i64", "buffer", "u32"],
    result: "i32",
  },
  mf_sim_book_ledger: { parameters: ["pointer", "u32", "buffer", "buffer"], result: "i32" },
  mf_sim_account: { parameters: ["pointer", "i32", "u32", "buffer"], result: "i32" },
  mf_sim_accounts: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  mf_sim_depth: {
    parameters: ["pointer", "u32", "u32", "u32", "buffer", "u32", "buffer"],
    result: "i32",
  },
  mf_status_message: { parameters: ["i32"], result: "pointer" },
  mf_sim_checkpoint_begin: { parameters: ["pointer", "buffer"], result: "i32" },
  mf_sim_checkpoint_read: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  mf_sim_restore: { parameters: ["buffer", "u32", "buffer", "buffer", "u32"], result: "pointer" },
} as const;

type Library = Deno.DynamicLibrary<typeof symbols>;

let library: Library | undefined;

/** Opens the native library (building native/ first if needed). */
async function open(): Promise<Library["symbols"]> {
  if (!library) {
    const { libraryPath } = await ensureNativeBuild();
    library = Deno.dlopen(libraryPath, symbols);
  }
  return library.symbols;
}

/** The simulator's settings table: names, τaos defaults and limits. */
export async function simParams(): Promise<SimParam[]> {
  const native = await open();
  const limits = new Float64Array(4);
  return Array.from({ length: native.mf_sim_param_count() }, (_, i) => {
    native.mf_sim_param_limits(i, limits);
    return {
      name: Deno.UnsafePointerView.getCString(native.mf_sim_param_name(i)!),
      doc: Deno.UnsafePointerView.getCString(native.mf_sim_param_doc(i)!),
      defaultValue: limits[0],
      min: limits[1],
      max: limits[2],
      integer: limits[3] === 1,
    };
  });
}

/** Work done so far. */
export interface SimCounters {
  wakeups: number;
  messages: number;
  fills: number;
}

export class NativeSimulation {
  readonly #native: Library["symbols"];
  #handle: Deno.PointerObject | null;
  readonly bookCount: number;
  #eventBuffer = new Uint8Array(RECORD_BYTES * 65_536);
  readonly #written = new Uint32Array(1);

  private constructor(native: Library["symbols"], handle: Deno.PointerObject) {
    this.#native = native;
    this.#handle = handle;
    this.bookCount = native.mf_sim_book_count(handle);
  }

  /** A new simulation from config values in table order (engine/sim/sim_config.ts). */
  static async create(values: Float64Array): Promise<NativeSimulation> {
    const native = await open();
    const status = new Int32Array(1);
    const error = new Uint8Array(512);
    const handle = native.mf_sim_create(values, values.length, status, error, error.length);
    if (handle === null) throw new Error(`Cannot create the simulation: ${cString(error)}`);
    return new NativeSimulation(native, handle);
  }

  static async restore(bytes: Uint8Array): Promise<NativeSimulation> {
    const native = await open();
    const status = new Int32Array(1);
    const error = new Uint8Array(512);
    const handle = native.mf_sim_restore(bytes, bytes.length, status, error, error.length);
    if (handle === null) throw new Error(`Cannot restore the simulation: ${cString(error)}`);
    return new NativeSimulation(native, handle);
  }

  get #sim(): Deno.PointerObject {
    if (this.#handle === null) throw new Error("Cannot use the simulation: it is closed");
    return this.#handle;
  }

  /** Simulated nanoseconds since the start. */
  get nowNs(): number {
    return Number(this.#native.mf_sim_now(this.#sim));
  }

  /** Runs `seconds` simulated seconds (synchronously, on the native thread pool). */
  step(seconds = 1): void {
    this.#check(this.#native.mf_sim_step(this.#sim, seconds), "step");
  }

  /** Every unread L3 event as raw records (global book ids), oldest first. */
  readEvents(): Uint8Array {
    const pending = this.#native.mf_sim_pending_events(this.#sim);
    if (pending * RECORD_BYTES > this.#eventBuffer.length) {
      this.#eventBuffer = new Uint8Array(pending * RECORD_BYTES * 2);
    }
    this.#native.mf_sim_read_events(this.#sim, this.#eventBuffer, pending, this.#written);
    return this.#eventBuffer.subarray(0, this.#written[0] * RECORD_BYTES);
  }

  /** Unread notices of remote agents, as raw records. */
  readNotices(): Uint8Array {
    const pending = this.#native.mf_sim_pending_notices(this.#sim);
    const out = new Uint8Array(pending * RECORD_BYTES);
    this.#native.mf_sim_read_notices(this.#sim, out, pending, this.#written);
    return out.subarray(0, this.#written[0] * RECORD_BYTES);
  }

  /** Each book's mid price (quote) after the last step; NaN when a side is empty. */
  mids(out = new Float64Array(this.bookCount)): Float64Array {
    this.#check(this.#native.mf_sim_mids(this.#sim, out, out.length), "read mids");
    return out;
  }

  /** Each book's fundamental price (quote) now: what its mid should track. */
  fundamentals(out = new Float64Array(this.bookCount)): Float64Array {
    this.#check(
      this.#native.mf_sim_fundamentals(this.#sim, out, out.length),
      "read fundamentals",
    );
    return out;
  }

  counters(): SimCounters {
    const out = new BigUint64Array(3);
    this.#native.mf_sim_counters(this.#sim, out);
    return { wakeups: Number(out[0]), messages: Number(out[1]), fills: Number(out[2]) };
  }

  /** Remote agents' instructions (global book ids). */
  submit(instructions: readonly Instruction[]): void {
    const bytes = new Uint8Array(instructions.length * 64);
    encodeInstructions(instructions, bytes);
    const error = new Uint8Array(512);
    const status = this.#native.mf_sim_submit(
      this.#sim,
      bytes,
      instructions.length,
      error,
      error.length,
    );
    if (status !== 0) throw new Error(`Cannot submit: ${cString(error)}`);
  }

  /** τaos RESET_AGENT: the remote agent starts over on every book. */
  resetAgent(agentId: number): void {
    const error = new Uint8Array(512);
    const status = this.#native.mf_sim_reset_agent(this.#sim, agentId, error, error.length);
    if (status !== 0) throw new Error(`Cannot reset agent ${agentId}: ${cString(error)}`);
  }

  /** The external price a book's fundamental re-seeds from (τaos's seed feed). */
  setExternalPrice(bookId: number, price: number): void {
    this.#check(this.#native.mf_sim_set_external_price(this.#sim, bookId, price), "set price");
  }

  /** Empty when every engine invariant holds, else the first violation. */
  check(): string {
    const error = new Uint8Array(512);
    return this.#native.mf_sim_check(this.#sim, error, error.length) === 0 ? "" : cString(error);
  }

  /** The whole simulation as bytes (drain events first: unread output is not kept). */
  checkpoint(): Uint8Array {
    const size = new Uint32Array(1);
    this.#check(this.#native.mf_sim_checkpoint_begin(this.#sim, size), "checkpoint");
    const bytes = new Uint8Array(size[0]);
    this.#check(this.#native.mf_sim_checkpoint_read(this.#sim, bytes, bytes.length), "checkpoint");
    return bytes;
  }

  /**
   * The market as an `Engine` (engine/simulator.ts) for the validator:
   * remote agents deposit, submit, read their accounts and notices; `step`
   * runs whole simulated seconds. Closing it closes the simulation.
   */
  asEngine(): Engine {
    return engineOver(new SimulationEngineCalls(this.#native, () => this.close()), this.#sim);
  }

  close(): void {
    if (this.#handle !== null) this.#native.mf_sim_destroy(this.#handle);
    this.#handle = null;
  }

  #check(status: number, what: string): void {
    if (status !== 0) throw new Error(`Cannot ${what}: native status ${status}`);
  }
}

const NS_PER_SECOND = 1_000_000_000;

/** mf_sim_* as the calls an `Engine` makes (engine/_abi_calls.ts EngineCalls). */
class SimulationEngineCalls implements EngineCalls<Deno.PointerObject> {
  readonly #native: Library["symbols"];
  readonly #close: () => void;
  readonly #error = new Uint8Array(512);

  constructor(native: Library["symbols"], close: () => void) {
    this.#native = native;
    this.#close = close;
  }

  statusMessage(status: number): string {
    const message = cString(this.#error);
    this.#error.fill(0);
    if (message) return message;
    const pointer = this.#native.mf_status_message(status);
    return pointer === null ? `status ${status}` : Deno.UnsafePointerView.getCString(pointer);
  }

  engineDestroy(): void {
    this.#close();
  }

  bookCount(sim: Deno.PointerObject): number {
    return this.#native.mf_sim_book_count(sim);
  }

  nowNs(sim: Deno.PointerObject): number {
    return Number(this.#native.mf_sim_now(sim));
  }

  deposit(
    sim: Deno.PointerObject,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number {
    return this.#native.mf_sim_deposit(
      sim,
      agentId,
      bookId,
      BigInt(baseLots),
      BigInt(quoteUnits),
      this.#error,
      this.#error.length,
    );
  }

  resetAccount(
    sim: Deno.PointerObject,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number {
    return this.#native.mf_sim_reset_account(
      sim,
      agentId,
      bookId,
      BigInt(baseLots),
      BigInt(quoteUnits),
      this.#error,
      this.#error.length,
    );
  }

  submit(sim: Deno.PointerObject, instructions: Uint8Array, count: number): number {
    return this.#native.mf_sim_submit(sim, instructions, count, this.#error, this.#error.length);
  }

  /** The market moves in whole simulated seconds (τaos's step). */
  step(sim: Deno.PointerObject, untilNs: number): number {
    const seconds = (untilNs - this.nowNs(sim)) / NS_PER_SECOND;
    if (seconds <= 0) return 0;
    if (!Number.isInteger(seconds)) {
      throw new RangeError(
        `Cannot step the market to ${untilNs} ns: it runs whole simulated seconds`,
      );
    }
    return this.#native.mf_sim_step(sim, seconds);
  }

  pendingEvents(sim: Deno.PointerObject): number {
    return this.#native.mf_sim_pending_events(sim);
  }

  pendingNotices(sim: Deno.PointerObject): number {
    return this.#native.mf_sim_pending_notices(sim);
  }

  readEvents(sim: Deno.PointerObject, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#native.mf_sim_read_events(sim, out, capacity, written);
  }

  readNotices(sim: Deno.PointerObject, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#native.mf_sim_read_notices(sim, out, capacity, written);
  }

  depth(
    sim: Deno.PointerObject,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: Uint8Array,
    written: Uint32Array,
  ): number {
    return this.#native.mf_sim_depth(
      sim,
      bookId,
      maxLevels,
      detailedLevels,
      out,
      out.byteLength,
      written,
    );
  }

  account(sim: Deno.PointerObject, agentId: number, bookId: number, out: Uint8Array): number {
    return this.#native.mf_sim_account(sim, agentId, bookId, out);
  }

  accounts(sim: Deno.PointerObject, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#native.mf_sim_accounts(sim, capacity > 0 ? out : null, capacity, written);
  }

  bookLedger(
    sim: Deno.PointerObject,
    bookId: number,
    feeSink: BigInt64Array,
    makerTakerRatio: BigInt64Array,
  ): number {
    return this.#native.mf_sim_book_ledger(sim, bookId, feeSink, makerTakerRatio);
  }

  check(sim: Deno.PointerObject, error: Uint8Array): number {
    return this.#native.mf_sim_check(sim, error, error.byteLength);
  }

  checkpointSize(sim: Deno.PointerObject, size: Uint32Array): number {
    return this.#native.mf_sim_checkpoint_begin(sim, size);
  }

  checkpointWrite(sim: Deno.PointerObject, out: Uint8Array, written: Uint32Array): number {
    written[0] = out.byteLength;
    return this.#native.mf_sim_checkpoint_read(sim, out, out.byteLength);
  }
}
