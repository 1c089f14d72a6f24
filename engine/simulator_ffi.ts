/**
 * The native `Simulator` backend: the C ABI of native/ (abi/marketforge.h)
 * opened with `Deno.dlopen`. The only Deno-specific file in engine/, kept out
 * of mod.ts and of the browser type check.
 *
 * It only supplies the `AbiCalls` (JavaScript buffers go straight to the
 * library, with no copy); the engine logic is shared with the WebAssembly
 * backend in _abi_engine.ts.
 *
 * @module
 */
import { ABI_VERSION, type AbiCalls, type NativeLayoutSizes } from "@/engine/_abi_calls.ts";
import { AbiSimulator, checkAbi } from "@/engine/_abi_engine.ts";

export { ABI_VERSION };

const symbols = {
  mf_abi_version: { parameters: [], result: "i32" },
  mf_instruction_size: { parameters: [], result: "u32" },
  mf_record_size: { parameters: [], result: "u32" },
  mf_book_config_size: { parameters: [], result: "u32" },
  mf_account_size: { parameters: [], result: "u32" },
  mf_depth_entry_size: { parameters: [], result: "u32" },
  mf_status_message: { parameters: ["i32"], result: "pointer" },
  mf_engine_create: {
    parameters: ["buffer", "u32", "buffer", "buffer", "u32"],
    result: "pointer",
  },
  mf_engine_destroy: { parameters: ["pointer"], result: "void" },
  mf_engine_book_count: { parameters: ["pointer"], result: "u32" },
  mf_engine_now: { parameters: ["pointer"], result: "i64" },
  mf_engine_deposit: { parameters: ["pointer", "i32", "u32", "i64", "i64"], result: "i32" },
  mf_engine_reset_account: {
    parameters: ["pointer", "i32", "u32", "i64", "i64"],
    result: "i32",
  },
  mf_engine_submit: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  mf_engine_step: { parameters: ["pointer", "i64"], result: "i32" },
  mf_engine_pending_events: { parameters: ["pointer"], result: "u32" },
  mf_engine_pending_notices: { parameters: ["pointer"], result: "u32" },
  mf_engine_read_events: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  mf_engine_read_notices: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  mf_engine_depth: {
    parameters: ["pointer", "u32", "u32", "u32", "buffer", "u32", "buffer"],
    result: "i32",
  },
  mf_engine_account: { parameters: ["pointer", "i32", "u32", "buffer"], result: "i32" },
  mf_engine_accounts: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  mf_engine_book_ledger: { parameters: ["pointer", "u32", "buffer", "buffer"], result: "i32" },
  mf_engine_check: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  mf_engine_checkpoint_size: { parameters: ["pointer", "buffer"], result: "i32" },
  mf_engine_checkpoint_write: {
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  mf_engine_restore: {
    parameters: ["buffer", "u32", "buffer", "buffer", "u32"],
    result: "pointer",
  },
} as const;

type NativeLibrary = Deno.DynamicLibrary<typeof symbols>;
type Pointer = Deno.PointerObject;

/** The `mf_*` functions of a shared library, called with JavaScript buffers in place. */
class FfiCalls implements AbiCalls<Pointer> {
  readonly #native: NativeLibrary["symbols"];
  readonly #library: NativeLibrary;

  constructor(library: NativeLibrary) {
    this.#library = library;
    this.#native = library.symbols;
  }

  abiVersion(): number {
    return this.#native.mf_abi_version();
  }

  layoutSizes(): NativeLayoutSizes {
    const native = this.#native;
    return {
      instruction: native.mf_instruction_size(),
      record: native.mf_record_size(),
      bookConfig: native.mf_book_config_size(),
      account: native.mf_account_size(),
      depthEntry: native.mf_depth_entry_size(),
    };
  }

  statusMessage(status: number): string {
    const pointer = this.#native.mf_status_message(status);
    return pointer === null ? `status ${status}` : new Deno.UnsafePointerView(pointer).getCString();
  }

  engineCreate(
    configs: Uint8Array,
    bookCount: number,
    status: Int32Array,
    error: Uint8Array,
  ): Pointer | null {
    return this.#native.mf_engine_create(configs, bookCount, status, error, error.byteLength);
  }

  engineRestore(bytes: Uint8Array, status: Int32Array, error: Uint8Array): Pointer | null {
    return this.#native.mf_engine_restore(bytes, bytes.byteLength, status, error, error.byteLength);
  }

  engineDestroy(engine: Pointer): void {
    this.#native.mf_engine_destroy(engine);
  }

  bookCount(engine: Pointer): number {
    return this.#native.mf_engine_book_count(engine);
  }

  nowNs(engine: Pointer): number {
    return Number(this.#native.mf_engine_now(engine));
  }

  deposit(
    engine: Pointer,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number {
    return this.#native.mf_engine_deposit(
      engine,
      agentId,
      bookId,
      BigInt(baseLots),
      BigInt(quoteUnits),
    );
  }

  resetAccount(
    engine: Pointer,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number {
    return this.#native.mf_engine_reset_account(
      engine,
      agentId,
      bookId,
      BigInt(baseLots),
      BigInt(quoteUnits),
    );
  }

  submit(engine: Pointer, instructions: Uint8Array, count: number): number {
    return this.#native.mf_engine_submit(engine, instructions, count);
  }

  step(engine: Pointer, untilNs: number): number {
    return this.#native.mf_engine_step(engine, BigInt(untilNs));
  }

  pendingEvents(engine: Pointer): number {
    return this.#native.mf_engine_pending_events(engine);
  }

  pendingNotices(engine: Pointer): number {
    return this.#native.mf_engine_pending_notices(engine);
  }

  readEvents(engine: Pointer, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.#native.mf_engine_read_events(engine, out, capacity, written);
  }

  readNotices(engine: Pointer, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.#native.mf_engine_read_notices(engine, out, capacity, written);
  }

  depth(
    engine: Pointer,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: Uint8Array,
    written: Uint32Array,
  ): number {
    return this.#native.mf_engine_depth(
      engine,
      bookId,
      maxLevels,
      detailedLevels,
      out,
      out.byteLength,
      written,
    );
  }

  account(engine: Pointer, agentId: number, bookId: number, out: Uint8Array): number {
    return this.#native.mf_engine_account(engine, agentId, bookId, out);
  }

  accounts(engine: Pointer, out: Uint8Array, capacity: number, written: Uint32Array): number {
    return this.#native.mf_engine_accounts(engine, capacity > 0 ? out : null, capacity, written);
  }

  bookLedger(
    engine: Pointer,
    bookId: number,
    feeSink: BigInt64Array,
    makerTakerRatio: BigInt64Array,
  ): number {
    return this.#native.mf_engine_book_ledger(engine, bookId, feeSink, makerTakerRatio);
  }

  check(engine: Pointer, error: Uint8Array): number {
    return this.#native.mf_engine_check(engine, error, error.byteLength);
  }

  checkpointSize(engine: Pointer, size: Uint32Array): number {
    return this.#native.mf_engine_checkpoint_size(engine, size);
  }

  checkpointWrite(engine: Pointer, out: Uint8Array, written: Uint32Array): number {
    return this.#native.mf_engine_checkpoint_write(engine, out, out.byteLength, written);
  }

  close(): void {
    this.#library.close();
  }
}

/** The simulator over native/'s shared library (build/native/libmarketforge.so). */
export class FfiSimulator extends AbiSimulator<Pointer> {
  /** Opens the shared library at `libraryPath` and checks its ABI version and layouts. */
  constructor(libraryPath: string) {
    const calls = new FfiCalls(Deno.dlopen(libraryPath, symbols));
    try {
      checkAbi(calls, `native library "${libraryPath}"`);
    } catch (error) {
      calls.close();
      throw error;
    }
    super(calls);
  }
}
