/**
 * The `Simulator` interface: the one shape every simulation backend has,
 * whether it runs native code through Deno FFI (simulator_ffi.ts) or, later,
 * WebAssembly in a browser worker.
 *
 * @module
 */
import type { BookEvent, Command, Depth } from "@/engine/book_records.ts";

export interface Simulator {
  /** Adds an empty book and returns its id: 0 for the first, then 1, 2, … */
  addBook(): number;
  /** Applies commands in order and returns every event they caused. */
  apply(bookId: number, commands: readonly Command[]): BookEvent[];
  /** The best `maxLevels` levels per side. */
  depth(bookId: number, maxLevels: number): Depth;
  /** Frees every book; the simulator cannot be used afterwards. */
  close(): void;
}
