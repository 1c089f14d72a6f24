/**
 * The native `Simulator` backend: the C ABI of native/ (abi/marketforge.h)
 * opened with `Deno.dlopen`. The only Deno-specific file in engine/, kept out
 * of mod.ts and of the browser type check.
 *
 * Commands go in as one batch per call and events come back through a
 * reusable caller-owned buffer, so each `apply` costs two or three FFI calls
 * whatever the batch size.
 *
 * @module
 */
import type { BookEvent, Command, Depth } from "@/engine/book_records.ts";
import type { Simulator } from "@/engine/simulator.ts";
import {
  COMMAND_BYTES,
  decodeDepth,
  decodeEvents,
  DEPTH_LEVEL_BYTES,
  encodeCommands,
  EVENT_BYTES,
} from "@/engine/_book_layout.ts";

/** The ABI version this wrapper speaks (MF_ABI_VERSION in abi/marketforge.h). */
export const ABI_VERSION = 1;

const symbols = {
  mf_abi_version: { parameters: [], result: "i32" },
  mf_command_size: { parameters: [], result: "u32" },
  mf_event_size: { parameters: [], result: "u32" },
  mf_book_create: { parameters: [], result: "pointer" },
  mf_book_destroy: { parameters: ["pointer"], result: "void" },
  mf_book_apply: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  mf_book_pending_events: { parameters: ["pointer"], result: "u32" },
  mf_book_read_events: { parameters: ["pointer", "buffer", "u32", "buffer"], result: "i32" },
  mf_book_depth: {
    parameters: ["pointer", "u32", "buffer", "buffer", "buffer"],
    result: "i32",
  },
} as const;

type NativeLibrary = Deno.DynamicLibrary<typeof symbols>;

/** Events read per FFI call; a larger batch loops. */
const EVENT_CHUNK = 4096;

export class FfiSimulator implements Simulator {
  readonly #library: NativeLibrary;
  readonly #books: Deno.PointerObject[] = [];
  #commandBytes = new Uint8Array(COMMAND_BYTES * 256);
  readonly #eventBytes = new Uint8Array(EVENT_BYTES * EVENT_CHUNK);
  readonly #count = new Uint32Array(1);
  readonly #secondCount = new Uint32Array(1);

  /** Opens the shared library at `libraryPath` and checks its ABI version. */
  constructor(libraryPath: string) {
    this.#library = Deno.dlopen(libraryPath, symbols);
    const version = this.#library.symbols.mf_abi_version();
    const commandSize = this.#library.symbols.mf_command_size();
    const eventSize = this.#library.symbols.mf_event_size();
    if (version !== ABI_VERSION || commandSize !== COMMAND_BYTES || eventSize !== EVENT_BYTES) {
      this.#library.close();
      throw new Error(
        `Cannot use native library "${libraryPath}": ABI version ${version} ` +
          `(command ${commandSize} B, event ${eventSize} B) does not match ` +
          `version ${ABI_VERSION} (command ${COMMAND_BYTES} B, event ${EVENT_BYTES} B)`,
      );
    }
  }

  addBook(): number {
    const book = this.#library.symbols.mf_book_create();
    if (book === null) throw new Error("Cannot create book: out of memory");
    this.#books.push(book);
    return this.#books.length - 1;
  }

  apply(bookId: number, commands: readonly Command[]): BookEvent[] {
    const book = this.#book(bookId);
    const needed = commands.length * COMMAND_BYTES;
    if (this.#commandBytes.byteLength < needed) this.#commandBytes = new Uint8Array(needed * 2);
    encodeCommands(commands, this.#commandBytes);
    const status = this.#library.symbols.mf_book_apply(
      book,
      this.#commandBytes,
      commands.length,
      this.#count,
    );
    if (status !== 0) {
      throw new Error(
        `Cannot apply commands to book ${bookId}: native status ${status} after ${
          this.#count[0]
        } of ${commands.length} commands`,
      );
    }
    return this.#drainEvents(book);
  }

  depth(bookId: number, maxLevels: number): Depth {
    const book = this.#book(bookId);
    const bytes = new Uint8Array(2 * maxLevels * DEPTH_LEVEL_BYTES);
    const status = this.#library.symbols.mf_book_depth(
      book,
      maxLevels,
      bytes,
      this.#count,
      this.#secondCount,
    );
    if (status !== 0) throw new Error(`Cannot read depth of book ${bookId}: status ${status}`);
    return decodeDepth(bytes, maxLevels, this.#count[0], this.#secondCount[0]);
  }

  close(): void {
    for (const book of this.#books) this.#library.symbols.mf_book_destroy(book);
    this.#books.length = 0;
    this.#library.close();
  }

  #book(bookId: number): Deno.PointerObject {
    const book = this.#books[bookId];
    if (book === undefined) {
      throw new RangeError(`Cannot find book ${bookId}: ${this.#books.length} books exist`);
    }
    return book;
  }

  #drainEvents(book: Deno.PointerObject): BookEvent[] {
    const events: BookEvent[] = [];
    while (this.#library.symbols.mf_book_pending_events(book) > 0) {
      this.#library.symbols.mf_book_read_events(book, this.#eventBytes, EVENT_CHUNK, this.#count);
      events.push(...decodeEvents(this.#eventBytes, this.#count[0]));
    }
    return events;
  }
}
