/**
 * The native `Simulator` backend: the C ABI of native/ (abi/marketforge.h)
 * opened with `Deno.dlopen`. The only Deno-specific file in engine/, kept out
 * of mod.ts and of the browser type check.
 *
 * Instructions go in as one batch per call and records come back through
 * reusable caller-owned buffers, so a step costs a few FFI calls whatever
 * its size.
 *
 * @module
 */
import type {
  Account,
  BookConfig,
  BookEvent,
  BookLedger,
  DepthSnapshot,
  Instruction,
  Notice,
} from "@/engine/book_records.ts";
import type { Engine, Simulator, StepOutput } from "@/engine/simulator.ts";
import {
  ACCOUNT_BYTES,
  BOOK_CONFIG_BYTES,
  decodeAccounts,
  decodeDepth,
  decodeEvents,
  decodeNotices,
  DEPTH_ENTRY_BYTES,
  encodeBookConfigs,
  encodeInstructions,
  INSTRUCTION_BYTES,
  RECORD_BYTES,
} from "@/engine/_book_layout.ts";

/** The ABI version this wrapper speaks (MF_ABI_VERSION in abi/marketforge.h). */
export const ABI_VERSION = 2;

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

const MF_OK = 0;
const MF_ERR_BUFFER_TOO_SMALL = -6;
const MF_ERR_NOT_FOUND = -5;
/** Records read per FFI call; more loop. */
const RECORD_CHUNK = 4096;
const ERROR_BYTES = 256;
/** τaos §3.3: 21 levels published, orders listed in the first 5. */
const BOOK_LEVELS = 21;
const DETAILED_LEVELS = 5;

/** Layouts both sides must agree on, as [name, native size, TypeScript size]. */
function layoutMismatches(library: NativeLibrary): string[] {
  const s = library.symbols;
  const sizes: [string, number, number][] = [
    ["instruction", s.mf_instruction_size(), INSTRUCTION_BYTES],
    ["record", s.mf_record_size(), RECORD_BYTES],
    ["book config", s.mf_book_config_size(), BOOK_CONFIG_BYTES],
    ["account", s.mf_account_size(), ACCOUNT_BYTES],
    ["depth entry", s.mf_depth_entry_size(), DEPTH_ENTRY_BYTES],
  ];
  return sizes.filter(([, native, ours]) => native !== ours).map(([name, native, ours]) =>
    `${name} ${native} B vs ${ours} B`
  );
}

export class FfiSimulator implements Simulator {
  readonly #library: NativeLibrary;
  readonly #engines = new Set<FfiEngine>();

  /** Opens the shared library at `libraryPath` and checks its ABI version and layouts. */
  constructor(libraryPath: string) {
    this.#library = Deno.dlopen(libraryPath, symbols);
    const version = this.#library.symbols.mf_abi_version();
    const mismatches = version === ABI_VERSION ? layoutMismatches(this.#library) : [];
    if (version !== ABI_VERSION || mismatches.length > 0) {
      this.#library.close();
      throw new Error(
        `Cannot use native library "${libraryPath}": ABI version ${version} ` +
          `(expected ${ABI_VERSION})${mismatches.length ? `, ${mismatches.join(", ")}` : ""}`,
      );
    }
  }

  createEngine(books: readonly BookConfig[]): Engine {
    const status = new Int32Array(1);
    const error = new Uint8Array(ERROR_BYTES);
    const pointer = this.#library.symbols.mf_engine_create(
      encodeBookConfigs(books),
      books.length,
      status,
      error,
      ERROR_BYTES,
    );
    if (pointer === null) {
      throw new Error(
        `Cannot create engine: ${cString(error) || statusMessage(this.#library, status[0])}`,
      );
    }
    return this.#track(pointer);
  }

  restore(checkpoint: Uint8Array): Engine {
    const status = new Int32Array(1);
    const error = new Uint8Array(ERROR_BYTES);
    const pointer = this.#library.symbols.mf_engine_restore(
      checkpoint,
      checkpoint.byteLength,
      status,
      error,
      ERROR_BYTES,
    );
    if (pointer === null) {
      throw new Error(
        `Cannot restore engine: ${cString(error) || statusMessage(this.#library, status[0])}`,
      );
    }
    return this.#track(pointer);
  }

  close(): void {
    for (const engine of this.#engines) engine.close();
    this.#library.close();
  }

  #track(pointer: Deno.PointerObject): Engine {
    const engine = new FfiEngine(this.#library, pointer, (closed) => this.#engines.delete(closed));
    this.#engines.add(engine);
    return engine;
  }
}

class FfiEngine implements Engine {
  readonly #library: NativeLibrary;
  #pointer: Deno.PointerObject | null;
  readonly #onClose: (engine: FfiEngine) => void;
  #instructionBytes = new Uint8Array(INSTRUCTION_BYTES * 256);
  readonly #recordBytes = new Uint8Array(RECORD_BYTES * RECORD_CHUNK);
  readonly #count = new Uint32Array(1);
  readonly bookCount: number;

  constructor(
    library: NativeLibrary,
    pointer: Deno.PointerObject,
    onClose: (engine: FfiEngine) => void,
  ) {
    this.#library = library;
    this.#pointer = pointer;
    this.#onClose = onClose;
    this.bookCount = library.symbols.mf_engine_book_count(pointer);
  }

  get nowNs(): number {
    return Number(this.#library.symbols.mf_engine_now(this.#engine()));
  }

  deposit(agentId: number, bookId: number, baseLots: number, quoteUnits: number): void {
    this.#checkBook(bookId);
    const status = this.#library.symbols.mf_engine_deposit(
      this.#engine(),
      agentId,
      bookId,
      BigInt(baseLots),
      BigInt(quoteUnits),
    );
    if (status !== MF_OK) {
      throw new RangeError(
        `Cannot deposit ${baseLots} lots and ${quoteUnits} quote units for agent ${agentId} ` +
          `on book ${bookId}: amounts must be between 0 and 2^52`,
      );
    }
  }

  submit(instructions: readonly Instruction[]): void {
    const needed = instructions.length * INSTRUCTION_BYTES;
    if (this.#instructionBytes.byteLength < needed) {
      this.#instructionBytes = new Uint8Array(needed * 2);
    }
    encodeInstructions(instructions, this.#instructionBytes);
    this.#ok(
      this.#library.symbols.mf_engine_submit(
        this.#engine(),
        this.#instructionBytes,
        instructions.length,
      ),
      "submit instructions",
    );
  }

  step(untilNs: number): StepOutput {
    const engine = this.#engine();
    this.#ok(this.#library.symbols.mf_engine_step(engine, BigInt(untilNs)), `step to ${untilNs}`);
    const events: BookEvent[] = [];
    while (this.#library.symbols.mf_engine_pending_events(engine) > 0) {
      this.#library.symbols.mf_engine_read_events(
        engine,
        this.#recordBytes,
        RECORD_CHUNK,
        this.#count,
      );
      events.push(...decodeEvents(this.#recordBytes, this.#count[0]));
    }
    const notices: Notice[] = [];
    while (this.#library.symbols.mf_engine_pending_notices(engine) > 0) {
      this.#library.symbols.mf_engine_read_notices(
        engine,
        this.#recordBytes,
        RECORD_CHUNK,
        this.#count,
      );
      notices.push(...decodeNotices(this.#recordBytes, this.#count[0]));
    }
    return { events, notices };
  }

  depth(bookId: number, maxLevels = BOOK_LEVELS, detailedLevels = DETAILED_LEVELS): DepthSnapshot {
    this.#checkBook(bookId);
    const engine = this.#engine();
    const depth = this.#library.symbols.mf_engine_depth;
    let bytes = this.#recordBytes;
    let status = depth(
      engine,
      bookId,
      maxLevels,
      detailedLevels,
      bytes,
      bytes.byteLength,
      this.#count,
    );
    if (status === MF_ERR_BUFFER_TOO_SMALL) {
      bytes = new Uint8Array(this.#count[0]);
      status = depth(
        engine,
        bookId,
        maxLevels,
        detailedLevels,
        bytes,
        bytes.byteLength,
        this.#count,
      );
    }
    this.#ok(status, `read the depth of book ${bookId}`);
    return decodeDepth(bytes.subarray(0, this.#count[0]));
  }

  account(agentId: number, bookId: number): Account | undefined {
    const bytes = new Uint8Array(ACCOUNT_BYTES);
    const status = this.#library.symbols.mf_engine_account(this.#engine(), agentId, bookId, bytes);
    if (status === MF_ERR_NOT_FOUND) return undefined;
    this.#ok(status, `read the account of agent ${agentId} on book ${bookId}`);
    return decodeAccounts(bytes, 1)[0];
  }

  accounts(): Account[] {
    const engine = this.#engine();
    this.#library.symbols.mf_engine_accounts(engine, null, 0, this.#count);
    const bytes = new Uint8Array(this.#count[0] * ACCOUNT_BYTES);
    this.#ok(
      this.#library.symbols.mf_engine_accounts(engine, bytes, this.#count[0], this.#count),
      "read the accounts",
    );
    return decodeAccounts(bytes, this.#count[0]);
  }

  ledger(bookId: number): BookLedger {
    this.#checkBook(bookId);
    const feeSink = new BigInt64Array(1);
    const ratio = new BigInt64Array(1);
    this.#ok(
      this.#library.symbols.mf_engine_book_ledger(this.#engine(), bookId, feeSink, ratio),
      `read the ledger of book ${bookId}`,
    );
    return { feeSink: Number(feeSink[0]), makerTakerRatio: Number(ratio[0]) };
  }

  checkInvariants(): void {
    const error = new Uint8Array(ERROR_BYTES);
    const status = this.#library.symbols.mf_engine_check(this.#engine(), error, ERROR_BYTES);
    if (status !== MF_OK) throw new Error(`Engine invariant broken: ${cString(error)}`);
  }

  checkpoint(): Uint8Array {
    const engine = this.#engine();
    this.#ok(this.#library.symbols.mf_engine_checkpoint_size(engine, this.#count), "checkpoint");
    const bytes = new Uint8Array(this.#count[0]);
    this.#ok(
      this.#library.symbols.mf_engine_checkpoint_write(
        engine,
        bytes,
        bytes.byteLength,
        this.#count,
      ),
      "checkpoint",
    );
    return bytes;
  }

  close(): void {
    if (this.#pointer === null) return;
    this.#library.symbols.mf_engine_destroy(this.#pointer);
    this.#pointer = null;
    this.#onClose(this);
  }

  #engine(): Deno.PointerObject {
    if (this.#pointer === null) throw new Error("Cannot use engine: it is closed");
    return this.#pointer;
  }

  #checkBook(bookId: number): void {
    if (!Number.isInteger(bookId) || bookId < 0 || bookId >= this.bookCount) {
      throw new RangeError(`Cannot find book ${bookId}: ${this.bookCount} books exist`);
    }
  }

  #ok(status: number, action: string): void {
    if (status === MF_OK) return;
    throw new Error(
      `Cannot ${action}: native status ${status} (${statusMessage(this.#library, status)})`,
    );
  }
}

/** The native library's message for a status code (mf_status_message). */
function statusMessage(library: NativeLibrary, status: number): string {
  const pointer = library.symbols.mf_status_message(status);
  return pointer === null ? `status ${status}` : new Deno.UnsafePointerView(pointer).getCString();
}

/** The NUL-terminated string at the start of `bytes`. */
function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}
