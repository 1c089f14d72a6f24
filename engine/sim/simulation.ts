/**
 * The background market (native/sim/, abi/marketforge_sim.h) over any
 * backend: the FFI library (server/sim/native_simulation.ts) or the
 * WebAssembly module (engine/sim/wasm_simulation.ts). A backend supplies only
 * the `SimCalls` — one method per `mf_sim_*` function with typed arrays for
 * pointers — so stepping, draining L3 events (raw 80-byte records,
 * engine/_book_layout.ts decodes them), remote agents and checkpoints behave
 * the same on both by construction. Browser-safe: no Deno API.
 *
 * @module
 */
import { cString, type EngineCalls } from "@/engine/_abi_calls.ts";
import { engineOver } from "@/engine/_abi_engine.ts";
import { encodeInstructions, INSTRUCTION_BYTES, RECORD_BYTES } from "@/engine/_book_layout.ts";
import type { Instruction } from "@/engine/book_records.ts";
import type { Engine } from "@/engine/simulator.ts";

/**
 * The `mf_sim_*` functions of one backend; `Handle` is its simulation pointer.
 * As in C: `out` arrays are written, a capacity is the array's own size
 * unless passed, `written`/`status`/`size` are one-element out-parameters.
 */
export interface SimCalls<Handle> {
  create(values: Float64Array, status: Int32Array, error: Uint8Array): Handle | null;
  restore(bytes: Uint8Array, status: Int32Array, error: Uint8Array): Handle | null;
  destroy(sim: Handle): void;
  /** mf_status_message. */
  statusMessage(status: number): string;
  bookCount(sim: Handle): number;
  now(sim: Handle): number;
  step(sim: Handle, seconds: number): number;
  pendingEvents(sim: Handle): number;
  readEvents(sim: Handle, out: Uint8Array, capacity: number, written: Uint32Array): number;
  pendingNotices(sim: Handle): number;
  readNotices(sim: Handle, out: Uint8Array, capacity: number, written: Uint32Array): number;
  mids(sim: Handle, out: Float64Array): number;
  fundamentals(sim: Handle, out: Float64Array): number;
  counters(sim: Handle, out: BigUint64Array): number;
  submit(sim: Handle, instructions: Uint8Array, count: number, error: Uint8Array): number;
  resetAgent(sim: Handle, agentId: number, error: Uint8Array): number;
  setExternalPrice(sim: Handle, bookId: number, price: number): number;
  check(sim: Handle, error: Uint8Array): number;
  deposit(
    sim: Handle,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
    error: Uint8Array,
  ): number;
  resetAccount(
    sim: Handle,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
    error: Uint8Array,
  ): number;
  bookLedger(
    sim: Handle,
    bookId: number,
    feeSink: BigInt64Array,
    makerTakerRatio: BigInt64Array,
  ): number;
  account(sim: Handle, agentId: number, bookId: number, out: Uint8Array): number;
  /** mf_sim_accounts; `capacity` 0 only asks how many there are. */
  accounts(sim: Handle, out: Uint8Array, capacity: number, written: Uint32Array): number;
  depth(
    sim: Handle,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: Uint8Array,
    written: Uint32Array,
  ): number;
  checkpointBegin(sim: Handle, size: Uint32Array): number;
  checkpointRead(sim: Handle, out: Uint8Array): number;
}

/** Work done so far. */
export interface SimCounters {
  wakeups: number;
  messages: number;
  fills: number;
}

/** A backend's simulation from config values in table order (engine/sim/sim_config.ts). */
export function createSimulation<Handle>(
  calls: SimCalls<Handle>,
  values: Float64Array,
): Simulation<Handle> {
  const error = new Uint8Array(512);
  const handle = calls.create(values, new Int32Array(1), error);
  if (handle === null) throw new Error(`Cannot create the simulation: ${cString(error)}`);
  return new Simulation(calls, handle);
}

/** A backend's simulation resumed from `Simulation.checkpoint()` bytes. */
export function restoreSimulation<Handle>(
  calls: SimCalls<Handle>,
  bytes: Uint8Array,
): Simulation<Handle> {
  const error = new Uint8Array(512);
  const handle = calls.restore(bytes, new Int32Array(1), error);
  if (handle === null) throw new Error(`Cannot restore the simulation: ${cString(error)}`);
  return new Simulation(calls, handle);
}

/** One live simulation: step it, drain it, trade in it as remote agents. */
export class Simulation<Handle> {
  readonly #calls: SimCalls<Handle>;
  #handle: Handle | null;
  readonly bookCount: number;
  #eventBuffer = new Uint8Array(RECORD_BYTES * 65_536);
  readonly #written = new Uint32Array(1);

  constructor(calls: SimCalls<Handle>, handle: Handle) {
    this.#calls = calls;
    this.#handle = handle;
    this.bookCount = calls.bookCount(handle);
  }

  get #sim(): Handle {
    if (this.#handle === null) throw new Error("Cannot use the simulation: it is closed");
    return this.#handle;
  }

  /** Simulated nanoseconds since the start. */
  get nowNs(): number {
    return this.#calls.now(this.#sim);
  }

  /** Runs `seconds` simulated seconds (synchronously; natively on the thread pool). */
  step(seconds = 1): void {
    this.#check(this.#calls.step(this.#sim, seconds), "step");
  }

  /** Every unread L3 event as raw records (global book ids), oldest first. */
  readEvents(): Uint8Array {
    const pending = this.#calls.pendingEvents(this.#sim);
    if (pending * RECORD_BYTES > this.#eventBuffer.length) {
      this.#eventBuffer = new Uint8Array(pending * RECORD_BYTES * 2);
    }
    this.#calls.readEvents(this.#sim, this.#eventBuffer, pending, this.#written);
    return this.#eventBuffer.subarray(0, this.#written[0] * RECORD_BYTES);
  }

  /** Unread notices of remote agents, as raw records. */
  readNotices(): Uint8Array {
    const pending = this.#calls.pendingNotices(this.#sim);
    const out = new Uint8Array(pending * RECORD_BYTES);
    this.#calls.readNotices(this.#sim, out, pending, this.#written);
    return out.subarray(0, this.#written[0] * RECORD_BYTES);
  }

  /** Each book's mid price (quote) after the last step; NaN when a side is empty. */
  mids(out = new Float64Array(this.bookCount)): Float64Array {
    this.#check(this.#calls.mids(this.#sim, out), "read mids");
    return out;
  }

  /** Each book's fundamental price (quote) now: what its mid should track. */
  fundamentals(out = new Float64Array(this.bookCount)): Float64Array {
    this.#check(this.#calls.fundamentals(this.#sim, out), "read fundamentals");
    return out;
  }

  counters(): SimCounters {
    const out = new BigUint64Array(3);
    this.#calls.counters(this.#sim, out);
    return { wakeups: Number(out[0]), messages: Number(out[1]), fills: Number(out[2]) };
  }

  /** Remote agents' instructions (global book ids). */
  submit(instructions: readonly Instruction[]): void {
    const bytes = new Uint8Array(instructions.length * INSTRUCTION_BYTES);
    encodeInstructions(instructions, bytes);
    const error = new Uint8Array(512);
    const status = this.#calls.submit(this.#sim, bytes, instructions.length, error);
    if (status !== 0) throw new Error(`Cannot submit: ${cString(error)}`);
  }

  /** τaos RESET_AGENT: the remote agent starts over on every book. */
  resetAgent(agentId: number): void {
    const error = new Uint8Array(512);
    const status = this.#calls.resetAgent(this.#sim, agentId, error);
    if (status !== 0) throw new Error(`Cannot reset agent ${agentId}: ${cString(error)}`);
  }

  /** The external price a book's fundamental re-seeds from (τaos's seed feed). */
  setExternalPrice(bookId: number, price: number): void {
    this.#check(this.#calls.setExternalPrice(this.#sim, bookId, price), "set price");
  }

  /** Empty when every engine invariant holds, else the first violation. */
  check(): string {
    const error = new Uint8Array(512);
    return this.#calls.check(this.#sim, error) === 0 ? "" : cString(error);
  }

  /** The whole simulation as bytes (drain events first: unread output is not kept). */
  checkpoint(): Uint8Array {
    const size = new Uint32Array(1);
    this.#check(this.#calls.checkpointBegin(this.#sim, size), "checkpoint");
    const bytes = new Uint8Array(size[0]);
    this.#check(this.#calls.checkpointRead(this.#sim, bytes), "checkpoint");
    return bytes;
  }

  /**
   * The market as an `Engine` (engine/simulator.ts), as the validator and
   * the offline sandbox use it: remote agents deposit, submit, read their
   * accounts and notices; `step` runs whole simulated seconds. Closing it
   * closes the simulation.
   */
  asEngine(): Engine {
    return engineOver(new SimulationEngineCalls(this.#calls, () => this.close()), this.#sim);
  }

  close(): void {
    if (this.#handle !== null) this.#calls.destroy(this.#handle);
    this.#handle = null;
  }

  #check(status: number, what: string): void {
    if (status !== 0) throw new Error(`Cannot ${what}: status ${status}`);
  }
}

const NS_PER_SECOND = 1_000_000_000;

/** mf_sim_* as the calls an `Engine` makes (engine/_abi_calls.ts EngineCalls). */
class SimulationEngineCalls<Handle> implements EngineCalls<Handle> {
  readonly #calls: SimCalls<Handle>;
  readonly #close: () => void;
  readonly #error = new Uint8Array(512);

  constructor(calls: SimCalls<Handle>, close: () => void) {
    this.#calls = calls;
    this.#close = close;
  }

  statusMessage(status: number): string {
    const message = cString(this.#error);
    this.#error.fill(0);
    return message || this.#calls.statusMessage(status);
  }

  engineDestroy(): void {
    this.#close();
  }

  bookCount(sim: Handle): number {
    return this.#calls.bookCount(sim);
  }

  nowNs(sim: Handle): number {
    return this.#calls.now(sim);
  }

  deposit(sim: Handle, agentId: number, bookId: number, baseLots: number, quoteUnits: number) {
    return this.#calls.deposit(sim, agentId, bookId, baseLots, quoteUnits, this.#error);
  }

  resetAccount(
    sim: Handle,
    agentId: number,
    bookId: number,
    baseLots: number,
    quoteUnits: number,
  ): number {
    return this.#calls.resetAccount(sim, agentId, bookId, baseLots, quoteUnits, this.#error);
  }

  submit(sim: Handle, instructions: Uint8Array, count: number): number {
    return this.#calls.submit(sim, instructions, count, this.#error);
  }

  /** The market moves in whole simulated seconds (τaos's step). */
  step(sim: Handle, untilNs: number): number {
    const seconds = (untilNs - this.nowNs(sim)) / NS_PER_SECOND;
    if (seconds <= 0) return 0;
    if (!Number.isInteger(seconds)) {
      throw new RangeError(
        `Cannot step the market to ${untilNs} ns: it runs whole simulated seconds`,
      );
    }
    return this.#calls.step(sim, seconds);
  }

  pendingEvents(sim: Handle): number {
    return this.#calls.pendingEvents(sim);
  }

  pendingNotices(sim: Handle): number {
    return this.#calls.pendingNotices(sim);
  }

  readEvents(sim: Handle, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#calls.readEvents(sim, out, capacity, written);
  }

  readNotices(sim: Handle, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#calls.readNotices(sim, out, capacity, written);
  }

  depth(
    sim: Handle,
    bookId: number,
    maxLevels: number,
    detailedLevels: number,
    out: Uint8Array,
    written: Uint32Array,
  ): number {
    return this.#calls.depth(sim, bookId, maxLevels, detailedLevels, out, written);
  }

  account(sim: Handle, agentId: number, bookId: number, out: Uint8Array): number {
    return this.#calls.account(sim, agentId, bookId, out);
  }

  accounts(sim: Handle, out: Uint8Array, capacity: number, written: Uint32Array) {
    return this.#calls.accounts(sim, out, capacity, written);
  }

  bookLedger(
    sim: Handle,
    bookId: number,
    feeSink: BigInt64Array,
    makerTakerRatio: BigInt64Array,
  ): number {
    return this.#calls.bookLedger(sim, bookId, feeSink, makerTakerRatio);
  }

  check(sim: Handle, error: Uint8Array): number {
    return this.#calls.check(sim, error);
  }

  checkpointSize(sim: Handle, size: Uint32Array): number {
    return this.#calls.checkpointBegin(sim, size);
  }

  checkpointWrite(sim: Handle, out: Uint8Array, written: Uint32Array): number {
    written[0] = out.byteLength;
    return this.#calls.checkpointRead(sim, out);
  }
}
