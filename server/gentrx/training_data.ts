/**
 * The gradient server's data side (taos.md §6.2): each simulation step's
 * books and L3 events come in as a tick, per-book replays turn the events
 * into training rows, and every book's rows are flushed as fixed-size
 * parquet pages to the object store under τaos's key layout. A book that
 * stalls tail-flushes what it has after `stallFlushNs` of simulated time.
 * When a simulation ends (or a tick shows a new simulation or time going
 * backwards) the buffers are dropped and the simulation's pages deleted.
 *
 * @module
 */
import type { BookEvent, DepthLevel } from "@/engine/book_records.ts";
import {
  type DataKeyScope,
  dataPrefix,
  pageKey,
  parsePageKey,
} from "@/engine/gentrx/store/data_keys.ts";
import { deletePrefix, type ObjectStore } from "@/engine/gentrx/store/object_store.ts";
import { encodeTrainingPage, type TrainingRow } from "@/engine/gentrx/store/training_page.ts";
import { BookReplay } from "@/server/gentrx/book_replay.ts";

/** One step of the market as the validator sends it (τaos POST /state). */
export interface GenTrxTick {
  /** Changes when a new simulation starts. */
  simulationId: string;
  timeNs: number;
  books: { bookId: number; bids: DepthLevel[]; asks: DepthLevel[]; events: BookEvent[] }[];
}

export interface TrainingDataOptions {
  store: ObjectStore;
  scope: DataKeyScope;
  validatorUid: number;
  /** Rows per page (τaos 30 000). */
  rowsPerPage?: number;
  /** Simulated time after which a book's partial page is flushed (τaos 5 min). */
  stallFlushNs?: number;
}

/** A stored page: its key, book and interval. */
export interface PageInfo {
  key: string;
  bookId: number;
  startNs: number;
  endNs: number;
}

/** τaos's page size and stalled-book flush (taos.md §6.2). */
export const TAOS_ROWS_PER_PAGE = 30_000;
export const TAOS_STALL_FLUSH_NS = 5 * 60 * 1e9;
/** The largest page the server accepts to build: a τaos page has 30 000 rows. */
const MAX_ROWS_PER_PAGE = 1_000_000;

export type TickResult = "accepted" | "duplicate" | "restarted";

export class TrainingData {
  readonly #store: ObjectStore;
  readonly #scope: DataKeyScope;
  readonly #validatorUid: number;
  readonly #rowsPerPage: number;
  readonly #stallFlushNs: number;
  readonly #replays = new Map<number, BookReplay>();
  readonly #buffers = new Map<number, TrainingRow[]>();
  #simulationId: string | null = null;
  #lastTimeNs = -1;
  /** Pages flushed since start, and rows built. */
  pagesFlushed = 0;
  rowsBuilt = 0;

  constructor(options: TrainingDataOptions) {
    this.#store = options.store;
    this.#scope = options.scope;
    this.#validatorUid = options.validatorUid;
    this.#rowsPerPage = options.rowsPerPage ?? TAOS_ROWS_PER_PAGE;
    this.#stallFlushNs = options.stallFlushNs ?? TAOS_STALL_FLUSH_NS;
    if (
      !(Number.isInteger(this.#rowsPerPage) && this.#rowsPerPage >= 2 &&
        this.#rowsPerPage <= MAX_ROWS_PER_PAGE)
    ) {
      throw new RangeError(
        `Invalid rowsPerPage ${this.#rowsPerPage}: expected an integer in 2..${MAX_ROWS_PER_PAGE}`,
      );
    }
  }

  /** The newest simulated time ingested (−1 before the first tick). */
  get maxTimeNs(): number {
    return this.#lastTimeNs;
  }

  /**
   * Ingests one step. A tick at or before the last time of the same
   * simulation is a duplicate and ignored (τaos dedupes by sim ts); a new
   * simulation id, or time going backwards, ends the old simulation first.
   */
  async ingest(tick: GenTrxTick): Promise<TickResult> {
    validateTick(tick);
    let result: TickResult = "accepted";
    if (this.#simulationId !== null && tick.simulationId !== this.#simulationId) {
      await this.endSimulation();
      result = "restarted";
    } else if (tick.timeNs <= this.#lastTimeNs) {
      return "duplicate";
    }
    this.#simulationId = tick.simulationId;
    this.#lastTimeNs = tick.timeNs;
    for (const book of tick.books) {
      const snapshot = { bids: book.bids, asks: book.asks };
      const replay = this.#replays.get(book.bookId);
      if (replay === undefined) {
        // The book before this step is unknown: start from its snapshot.
        this.#replays.set(book.bookId, new BookReplay(snapshot));
        continue;
      }
      const rows = replay.apply(book.events);
      replay.reset(snapshot);
      this.rowsBuilt += rows.length;
      const buffer = this.#buffers.get(book.bookId) ?? [];
      buffer.push(...rows);
      this.#buffers.set(book.bookId, buffer);
    }
    await this.#flushFull(tick.timeNs);
    return result;
  }

  /** Drops the buffers and deletes this validator's pages (τaos ESE, §6.2). */
  async endSimulation(): Promise<number> {
    this.#buffers.clear();
    this.#replays.clear();
    this.#simulationId = null;
    this.#lastTimeNs = -1;
    return await deletePrefix(this.#store, dataPrefix(this.#scope, this.#validatorUid));
  }

  /** Every stored page of this validator, by book then time. */
  async pages(): Promise<PageInfo[]> {
    const objects = await this.#store.list(dataPrefix(this.#scope, this.#validatorUid));
    return objects.flatMap(({ key }) => {
      const parsed = parsePageKey(key);
      return parsed ? [{ key, ...parsed }] : [];
    }).sort((a, b) => a.bookId - b.bookId || a.startNs - b.startNs);
  }

  /** τaos GET /data-status: {max_ts, books: {id: {parquets: [[name, s, e]], max_ts}}}. */
  async dataStatus(): Promise<DataStatus> {
    const books: DataStatus["books"] = {};
    for (const page of await this.pages()) {
      const book = books[page.bookId] ??= { parquets: [], max_ts: 0 };
      book.parquets.push([page.key.slice(page.key.lastIndexOf("/") + 1), page.startNs, page.endNs]);
      book.max_ts = Math.max(book.max_ts, page.endNs);
    }
    return { max_ts: this.#lastTimeNs, books };
  }

  async #flushFull(nowNs: number): Promise<void> {
    for (const [bookId, buffer] of this.#buffers) {
      while (buffer.length >= this.#rowsPerPage) {
        await this.#flush(bookId, buffer.splice(0, this.#rowsPerPage));
      }
      if (buffer.length >= 2 && nowNs - buffer[0].timestampNs >= this.#stallFlushNs) {
        await this.#flush(bookId, buffer.splice(0, buffer.length));
      }
    }
  }

  async #flush(bookId: number, rows: TrainingRow[]): Promise<void> {
    const key = pageKey(
      this.#scope,
      this.#validatorUid,
      bookId,
      rows[0].timestampNs,
      rows[rows.length - 1].timestampNs,
    );
    await this.#store.put(key, encodeTrainingPage(rows));
    this.pagesFlushed++;
  }
}

export interface DataStatus {
  max_ts: number;
  books: Record<number, { parquets: [string, number, number][]; max_ts: number }>;
}

/** Ticks come over HTTP: check the shape before touching any state. */
function validateTick(tick: GenTrxTick): void {
  const fail = (detail: string) => {
    throw new RangeError(`Invalid GenTRX tick: ${detail}`);
  };
  if (typeof tick !== "object" || tick === null) fail("expected an object");
  if (typeof tick.simulationId !== "string" || tick.simulationId === "") {
    fail("simulationId must be a non-empty string");
  }
  if (!(Number.isSafeInteger(tick.timeNs) && tick.timeNs >= 0)) {
    fail(`timeNs is ${tick.timeNs}, expected a non-negative integer`);
  }
  if (!Array.isArray(tick.books)) fail("books must be an array");
  for (const [i, book] of tick.books.entries()) {
    if (!(Number.isInteger(book?.bookId) && book.bookId >= 0)) {
      fail(`books[${i}].bookId is ${book?.bookId}, expected a non-negative integer`);
    }
    for (const field of ["bids", "asks", "events"] as const) {
      if (!Array.isArray(book[field])) fail(`books[${i}].${field} must be an array`);
    }
  }
}
