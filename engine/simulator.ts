/**
 * The `Simulator` interface: the one shape every simulation backend has,
 * whether it runs native code through Deno FFI (simulator_ffi.ts) or the
 * same code compiled to WebAssembly, e.g. in a browser worker
 * (simulator_wasm.ts). Both pass one conformance suite
 * (simulator_conformance_test.ts).
 *
 * A simulator creates `Engine`s. An engine holds N independent books (each
 * with its own `BookConfig`), one account per (agent, book), and a
 * discrete-event clock in integer nanoseconds: instructions are submitted
 * with a delay, and `step(untilNs)` delivers every one whose arrival is
 * before `untilNs`, in (arrival, submission) order. Same inputs ⇒ the same
 * events and notices, byte for byte. Exchange rules: native/exchange/engine.h.
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

/** What one step produced: L3 events of every book, and per-agent notices. */
export interface StepOutput {
  events: BookEvent[];
  notices: Notice[];
}

export interface Engine {
  readonly bookCount: number;
  /** The simulation clock, ns. */
  readonly nowNs: number;
  /** Opens the account of (agent, book) if needed and credits its free balances. */
  deposit(agentId: number, bookId: number, baseLots: number, quoteUnits: number): void;
  /**
   * τaos RESET_AGENT (deregistration): rebuilds (agent, book)'s account as
   * new — its orders cancelled, its loans closed, these balances in place of
   * its old ones, volumes and fees cleared. Opens it if it does not exist.
   */
  resetAccount(agentId: number, bookId: number, baseLots: number, quoteUnits: number): void;
  /** Queues instructions; each arrives `delayNs` after now. Bad ones are rejected on arrival. */
  submit(instructions: readonly Instruction[]): void;
  /** Delivers everything arriving before `untilNs`, then sets the clock to it. */
  step(untilNs: number): StepOutput;
  /** τaos's published depth: `maxLevels` per side, orders listed in the first `detailedLevels`. */
  depth(bookId: number, maxLevels?: number, detailedLevels?: number): DepthSnapshot;
  /** The account of (agent, book), or undefined when it has none. */
  account(agentId: number, bookId: number): Account | undefined;
  /** Every account, in opening order. */
  accounts(): Account[];
  ledger(bookId: number): BookLedger;
  /** Throws when an engine invariant is broken (crossed book, negative or unconserved balances). */
  checkInvariants(): void;
  /** The whole engine as bytes; `Simulator.restore` continues it byte-identically. */
  checkpoint(): Uint8Array;
  /** Frees the engine; it cannot be used afterwards. */
  close(): void;
}

export interface Simulator {
  /** A new engine with one book per config (book ids 0, 1, …). */
  createEngine(books: readonly BookConfig[]): Engine;
  /** An engine restored from `checkpoint()` bytes; throws on anything else. */
  restore(checkpoint: Uint8Array): Engine;
  /** Frees every engine and the backend; nothing can be used afterwards. */
  close(): void;
}
