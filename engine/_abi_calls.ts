/**
 * The C ABI of native/ (abi/marketforge.h) as seen from TypeScript, one
 * method per `mf_*` function, with every pointer argument replaced by a
 * JavaScript typed array. It is the only thing a simulator backend supplies:
 * the FFI backend passes the arrays straight to the shared library, the
 * WebAssembly backend copies them through scratch space in linear memory.
 * Everything else (buffers, record loops, decoding, errors) is shared in
 * _abi_engine.ts, so both backends behave identically by construction.
 *
 * Conventions: `out` arrays are written by the call, input arrays only read;
 * a capacity is always the array's own size (`out.byteLength`, or records
 * for the record readers); `written`, `status` and `size` are one-element
 * out-parameters, exactly as in C.
 *
 * @module
 */

/** MF_ABI_VERSION in abi/marketforge.h: bumped whenever a layout or a signature changes. */
export const ABI_VERSION = 2;

/** mf_status codes this side acts on. */
export const MF_OK = 0;
export const MF_ERR_NOT_FOUND = -5;
export const MF_ERR_BUFFER_TOO_SMALL = -6;

/** Record sizes the native side reports (mf_*_size), in bytes. */
export interface NativeLayoutSizes {
  instruction: number;
  record: number;
  bookConfig: number;
  account: number;
  depthEntry: number;
}

/** One backend's way into the `mf_*` functions; `Handle` is its engine pointer. */
export interface AbiCalls<Handle> extends EngineCalls<Handle> {
  abiVersion(): number;
  layoutSizes(): NativeLayoutSizes;
  /** mf_engine_create over `bookCount` BookConfig records; null with `status` and `error` set. */
  engineCreate(
    configs: Uint8Array,
    bookCount: number,
    status: Int32Array,
    error: Uint8Array,
  ): Handle | null;
  /** mf_engine_restore from checkpoint bytes; null with `status` and `error` set. */
  engineRestore(bytes: Uint8Array, status: Int32Array, error: Uint8Array): Handle | null;
  /** Releases the backend (library or instance); no call is valid afterwards. */
  close(): void;
}

/**
 * The calls one live engine needs — what `AbiEngine` drives. The exchange
 * engine (mf_engine_*) provides them, and so does the whole background
 * market (mf_sim_*, server/sim/native_simulation.ts), whose books and
 * remote agents behave as one engine's.
 */
export interface EngineCalls<Handle> {
  /** mf_status_message. */
  statusMessage(status: number): string;
  engineDestroy(engine: Handle): void;
  bookCount(engine: Handle): number;
  nowNs(engine: Handle): number;
  deposit(
    engine: Handle,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number;
  /** mf_engine_reset_account. */
  resetAccount(
    engine: Handle,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number;
  /** mf_engine_submit of `count` Instruction records at the start of `instructions`. */
  submit(engine: Handle, instructions: Uint8Array, count: number): number;
  step(engine: Handle, untilNs: number): number;
  pendingEvents(engine: Handle): number;
  pendingNotices(engine: Handle): number;
  /** mf_engine_read_events into `out`, at most `capacity` records. */
  readEvents(engine: Handle, out: Uint8Array, capacity: number, written: Uint32Array): number;
  readNotices(engine: Handle, out: Uint8Array, capacity: number, written: Uint32Array): number;
  depth(
    engine: Handle,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: Uint8Array,
    written: Uint32Array,
  ): number;
  account(engine: Handle, agentId: number, bookId: number, out: Uint8Array): number;
  /** mf_engine_accounts into `out`, at most `capacity` AccountRecords. */
  accounts(engine: Handle, out: Uint8Array, capacity: number, written: Uint32Array): number;
  bookLedger(
    engine: Handle,
    bookId: number,
    feeSink: BigInt64Array,
    makerTakerRatio: BigInt64Array,
  ): number;
  check(engine: Handle, error: Uint8Array): number;
  checkpointSize(engine: Handle, size: Uint32Array): number;
  checkpointWrite(engine: Handle, out: Uint8Array, written: Uint32Array): number;
}

/** The NUL-terminated string at the start of `bytes`. */
export function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}
