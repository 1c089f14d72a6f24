/**
 * `Simulator` and `Engine` on top of any backend's `AbiCalls` (the FFI and
 * the WebAssembly backend): reusable record buffers, the read loops, record
 * decoding, the ABI and layout check, and the error messages. Instructions
 * go in as one batch per call and records come back in chunks, so a step
 * costs a few ABI calls whatever its size.
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
  ABI_VERSION,
  type AbiCalls,
  cString,
  type EngineCalls,
  MF_ERR_BUFFER_TOO_SMALL,
  MF_ERR_NOT_FOUND,
  MF_OK,
} from "@/engine/_abi_calls.ts";
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

/** Records read per ABI call; more loop. */
const RECORD_CHUNK = 4096;
/** Instructions the submit buffer holds before it first grows. */
const INITIAL_INSTRUCTIONS = 256;
const ERROR_BYTES = 256;
/** τaos §3.3: 21 levels published, orders listed in the first 5. */
const BOOK_LEVELS = 21;
const DETAILED_LEVELS = 5;

/**
 * Throws unless the backend speaks ABI_VERSION with the record sizes of
 * _book_layout.ts; `what` names the backend in the message, e.g.
 * `native library "build/native/libmarketforge.so"`.
 */
export function checkAbi<Handle>(calls: AbiCalls<Handle>, what: string): void {
  const version = calls.abiVersion();
  const mismatches: string[] = [];
  if (version === ABI_VERSION) {
    const native = calls.layoutSizes();
    const sizes: [string, number, number][] = [
      ["instruction", native.instruction, INSTRUCTION_BYTES],
      ["record", native.record, RECORD_BYTES],
      ["book config", native.bookConfig, BOOK_CONFIG_BYTES],
      ["account", native.account, ACCOUNT_BYTES],
      ["depth entry", native.depthEntry, DEPTH_ENTRY_BYTES],
    ];
    for (const [name, theirs, ours] of sizes) {
      if (theirs !== ours) mismatches.push(`${name} ${theirs} B vs ${ours} B`);
    }
  }
  if (version !== ABI_VERSION || mismatches.length > 0) {
    throw new Error(
      `Cannot use ${what}: ABI version ${version} (expected ${ABI_VERSION})` +
        (mismatches.length ? `, ${mismatches.join(", ")}` : ""),
    );
  }
}

/** A `Simulator` over one backend; the backend must already have passed `checkAbi`. */
export class AbiSimulator<Handle> implements Simulator {
  readonly #calls: AbiCalls<Handle>;
  readonly #engines = new Set<AbiEngine<Handle>>();

  constructor(calls: AbiCalls<Handle>) {
    this.#calls = calls;
  }

  createEngine(books: readonly BookConfig[]): Engine {
    const status = new Int32Array(1);
    const error = new Uint8Array(ERROR_BYTES);
    const handle = this.#calls.engineCreate(encodeBookConfigs(books), books.length, status, error);
    if (handle === null) {
      throw new Error(
        `Cannot create engine: ${cString(error) || this.#calls.statusMessage(status[0])}`,
      );
    }
    return this.#track(handle);
  }

  restore(checkpoint: Uint8Array): Engine {
    const status = new Int32Array(1);
    const error = new Uint8Array(ERROR_BYTES);
    const handle = this.#calls.engineRestore(checkpoint, status, error);
    if (handle === null) {
      throw new Error(
        `Cannot restore engine: ${cString(error) || this.#calls.statusMessage(status[0])}`,
      );
    }
    return this.#track(handle);
  }

  close(): void {
    for (const engine of this.#engines) engine.close();
    this.#calls.close();
  }

  #track(handle: Handle): Engine {
    const engine = new AbiEngine(this.#calls, handle, (closed) => this.#engines.delete(closed));
    this.#engines.add(engine);
    return engine;
  }
}

/** An `Engine` over a live handle (e.g. a whole simulation's, server/sim/native_simulation.ts). */
export function engineOver<Handle>(calls: EngineCalls<Handle>, handle: Handle): Engine {
  return new AbiEngine(calls, handle, () => {});
}

class AbiEngine<Handle> implements Engine {
  readonly #calls: EngineCalls<Handle>;
  #handle: Handle | null;
  readonly #onClose: (engine: AbiEngine<Handle>) => void;
  #instructionBytes = new Uint8Array(INSTRUCTION_BYTES * INITIAL_INSTRUCTIONS);
  readonly #recordBytes = new Uint8Array(RECORD_BYTES * RECORD_CHUNK);
  readonly #count = new Uint32Array(1);
  readonly bookCount: number;

  constructor(
    calls: EngineCalls<Handle>,
    handle: Handle,
    onClose: (engine: AbiEngine<Handle>) => void,
  ) {
    this.#calls = calls;
    this.#handle = handle;
    this.#onClose = onClose;
    this.bookCount = calls.bookCount(handle);
  }

  get nowNs(): number {
    return this.#calls.nowNs(this.#engine());
  }

  deposit(agentId: number, bookId: number, baseLots: number, quoteUnits: number): void {
    this.#checkBook(bookId);
    const status = this.#calls.deposit(this.#engine(), agentId, bookId, baseLots, quoteUnits);
    if (status !== MF_OK) {
      throw new RangeError(
        `Cannot deposit ${baseLots} lots and ${quoteUnits} quote units for agent ${agentId} ` +
          `on book ${bookId}: amounts must be between 0 and 2^52`,
      );
    }
  }

  resetAccount(agentId: number, bookId: number, baseLots: number, quoteUnits: number): void {
    this.#checkBook(bookId);
    const status = this.#calls.resetAccount(this.#engine(), agentId, bookId, baseLots, quoteUnits);
    if (status !== MF_OK) {
      throw new RangeError(
        `Cannot reset the account of agent ${agentId} on book ${bookId}: ` +
          `balances must be between 0 and 2^52`,
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
      this.#calls.submit(this.#engine(), this.#instructionBytes, instructions.length),
      "submit instructions",
    );
  }

  step(untilNs: number): StepOutput {
    const engine = this.#engine();
    this.#ok(this.#calls.step(engine, untilNs), `step to ${untilNs}`);
    const events: BookEvent[] = [];
    while (this.#calls.pendingEvents(engine) > 0) {
      this.#ok(
        this.#calls.readEvents(engine, this.#recordBytes, RECORD_CHUNK, this.#count),
        "read events",
      );
      for (const event of decodeEvents(this.#recordBytes, this.#count[0])) events.push(event);
    }
    const notices: Notice[] = [];
    while (this.#calls.pendingNotices(engine) > 0) {
      this.#ok(
        this.#calls.readNotices(engine, this.#recordBytes, RECORD_CHUNK, this.#count),
        "read notices",
      );
      for (const notice of decodeNotices(this.#recordBytes, this.#count[0])) notices.push(notice);
    }
    return { events, notices };
  }

  depth(bookId: number, maxLevels = BOOK_LEVELS, detailedLevels = DETAILED_LEVELS): DepthSnapshot {
    this.#checkBook(bookId);
    const engine = this.#engine();
    let bytes = this.#recordBytes;
    let status = this.#calls.depth(engine, bookId, maxLevels, detailedLevels, bytes, this.#count);
    if (status === MF_ERR_BUFFER_TOO_SMALL) {
      bytes = new Uint8Array(this.#count[0]);
      status = this.#calls.depth(engine, bookId, maxLevels, detailedLevels, bytes, this.#count);
    }
    this.#ok(status, `read the depth of book ${bookId}`);
    return decodeDepth(bytes.subarray(0, this.#count[0]));
  }

  account(agentId: number, bookId: number): Account | undefined {
    const bytes = new Uint8Array(ACCOUNT_BYTES);
    const status = this.#calls.account(this.#engine(), agentId, bookId, bytes);
    if (status === MF_ERR_NOT_FOUND) return undefined;
    this.#ok(status, `read the account of agent ${agentId} on book ${bookId}`);
    return decodeAccounts(bytes, 1)[0];
  }

  accounts(): Account[] {
    const engine = this.#engine();
    this.#calls.accounts(engine, new Uint8Array(0), 0, this.#count);
    const count = this.#count[0];
    const bytes = new Uint8Array(count * ACCOUNT_BYTES);
    this.#ok(this.#calls.accounts(engine, bytes, count, this.#count), "read the accounts");
    return decodeAccounts(bytes, this.#count[0]);
  }

  ledger(bookId: number): BookLedger {
    this.#checkBook(bookId);
    const feeSink = new BigInt64Array(1);
    const ratio = new BigInt64Array(1);
    this.#ok(
      this.#calls.bookLedger(this.#engine(), bookId, feeSink, ratio),
      `read the ledger of book ${bookId}`,
    );
    return { feeSink: Number(feeSink[0]), makerTakerRatio: Number(ratio[0]) };
  }

  checkInvariants(): void {
    const error = new Uint8Array(ERROR_BYTES);
    const status = this.#calls.check(this.#engine(), error);
    if (status !== MF_OK) throw new Error(`Engine invariant broken: ${cString(error)}`);
  }

  checkpoint(): Uint8Array {
    const engine = this.#engine();
    this.#ok(this.#calls.checkpointSize(engine, this.#count), "checkpoint");
    const bytes = new Uint8Array(this.#count[0]);
    this.#ok(this.#calls.checkpointWrite(engine, bytes, this.#count), "checkpoint");
    return bytes;
  }

  close(): void {
    if (this.#handle === null) return;
    this.#calls.engineDestroy(this.#handle);
    this.#handle = null;
    this.#onClose(this);
  }

  #engine(): Handle {
    if (this.#handle === null) throw new Error("Cannot use engine: it is closed");
    return this.#handle;
  }

  #checkBook(bookId: number): void {
    if (!Number.isInteger(bookId) || bookId < 0 || bookId >= this.bookCount) {
      throw new RangeError(`Cannot find book ${bookId}: ${this.bookCount} books exist`);
    }
  }

  #ok(status: number, action: string): void {
    if (status === MF_OK) return;
    throw new Error(
      `Cannot ${action}: native status ${status} (${this.#calls.statusMessage(status)})`,
    );
  }
}
