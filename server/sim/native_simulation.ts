/**
 * The background market (native/sim/, abi/marketforge_sim.h) opened with
 * Deno.dlopen: the `SimCalls` of the FFI backend, passing typed arrays
 * straight to the shared library. Everything above the calls (stepping,
 * draining L3 events, remote agents, checkpoints, the `Engine` view) is
 * engine/sim/simulation.ts, shared with the WebAssembly backend
 * (engine/sim/wasm_simulation.ts).
 *
 * @module
 */
import type { SimParam } from "@/engine/sim/sim_config.ts";
import {
  createSimulation,
  restoreSimulation,
  type SimCalls,
  Simulation,
} from "@/engine/sim/simulation.ts";
import { ensureNativeBuild } from "@/server/native_library.ts";

export type { SimCounters } from "@/engine/sim/simulation.ts";

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

/** The background market over the native library. */
export const NativeSimulation = {
  /** A new simulation from config values in table order (engine/sim/sim_config.ts). */
  async create(values: Float64Array): Promise<Simulation<Deno.PointerObject>> {
    return createSimulation(new FfiSimCalls(await open()), values);
  },

  async restore(bytes: Uint8Array): Promise<Simulation<Deno.PointerObject>> {
    return restoreSimulation(new FfiSimCalls(await open()), bytes);
  },
};

/** mf_sim_* through Deno FFI. */
class FfiSimCalls implements SimCalls<Deno.PointerObject> {
  readonly #native: Library["symbols"];

  constructor(native: Library["symbols"]) {
    this.#native = native;
  }

  create(values: Float64Array, status: Int32Array, error: Uint8Array) {
    return this.#native.mf_sim_create(values, values.length, status, error, error.length);
  }

  restore(bytes: Uint8Array, status: Int32Array, error: Uint8Array) {
    return this.#native.mf_sim_restore(bytes, bytes.length, status, error, error.length);
  }

  destroy(sim: Deno.PointerObject): void {
    this.#native.mf_sim_destroy(sim);
  }

  statusMessage(status: number): string {
    const pointer = this.#native.mf_status_message(status);
    return pointer === null ? `status ${status}` : Deno.UnsafePointerView.getCString(pointer);
  }

  bookCount(sim: Deno.PointerObject): number {
    return this.#native.mf_sim_book_count(sim);
  }

  now(sim: Deno.PointerObject): number {
    return Number(this.#native.mf_sim_now(sim));
  }

  step(sim: Deno.PointerObject, seconds: number): number {
    return this.#native.mf_sim_step(sim, seconds);
  }

  pendingEvents(sim: Deno.PointerObject): number {
    return this.#native.mf_sim_pending_events(sim);
  }

  readEvents(sim: Deno.PointerObject, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#native.mf_sim_read_events(sim, out, capacity, written);
  }

  pendingNotices(sim: Deno.PointerObject): number {
    return this.#native.mf_sim_pending_notices(sim);
  }

  readNotices(sim: Deno.PointerObject, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#native.mf_sim_read_notices(sim, out, capacity, written);
  }

  mids(sim: Deno.PointerObject, out: Float64Array): number {
    return this.#native.mf_sim_mids(sim, out, out.length);
  }

  fundamentals(sim: Deno.PointerObject, out: Float64Array): number {
    return this.#native.mf_sim_fundamentals(sim, out, out.length);
  }

  counters(sim: Deno.PointerObject, out: BigUint64Array): number {
    return this.#native.mf_sim_counters(sim, out);
  }

  submit(sim: Deno.PointerObject, instructions: Uint8Array, count: number, error: Uint8Array) {
    return this.#native.mf_sim_submit(sim, instructions, count, error, error.length);
  }

  resetAgent(sim: Deno.PointerObject, agentId: number, error: Uint8Array): number {
    return this.#native.mf_sim_reset_agent(sim, agentId, error, error.length);
  }

  setExternalPrice(sim: Deno.PointerObject, bookId: number, price: number): number {
    return this.#native.mf_sim_set_external_price(sim, bookId, price);
  }

  check(sim: Deno.PointerObject, error: Uint8Array): number {
    return this.#native.mf_sim_check(sim, error, error.byteLength);
  }

  deposit(
    sim: Deno.PointerObject,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
    error: Uint8Array,
  ): number {
    return this.#native.mf_sim_deposit(
      sim,
      agentId,
      bookId,
      BigInt(baseLots),
      BigInt(quoteUnits),
      error,
      error.length,
    );
  }

  resetAccount(
    sim: Deno.PointerObject,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
    error: Uint8Array,
  ): number {
    return this.#native.mf_sim_reset_account(
      sim,
      agentId,
      bookId,
      BigInt(baseLots),
      BigInt(quoteUnits),
      error,
      error.length,
    );
  }

  bookLedger(
    sim: Deno.PointerObject,
    bookId: number,
    feeSink: BigInt64Array,
    makerTakerRatio: BigInt64Array,
  ): number {
    return this.#native.mf_sim_book_ledger(sim, bookId, feeSink, makerTakerRatio);
  }

  account(sim: Deno.PointerObject, agentId: number, bookId: number, out: Uint8Array): number {
    return this.#native.mf_sim_account(sim, agentId, bookId, out);
  }

  accounts(sim: Deno.PointerObject, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#native.mf_sim_accounts(sim, capacity > 0 ? out : null, capacity, written);
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

  checkpointBegin(sim: Deno.PointerObject, size: Uint32Array): number {
    return this.#native.mf_sim_checkpoint_begin(sim, size);
  }

  checkpointRead(sim: Deno.PointerObject, out: Uint8Array): number {
    return this.#native.mf_sim_checkpoint_read(sim, out, out.byteLength);
  }
}
