/**
 * Reads the directory a headless run (`deno task sim`) writes:
 *
 * - `run.json`: the manifest (`RunManifest`);
 * - `mids.f64`: little-endian float64, one row per simulated second (row s is
 *   the state at the end of second s + 1), one mid per book, NaN when a side
 *   of the book is empty;
 * - `l3.bin.gz`: gzip of consecutive 80-byte L3 Records
 *   (native/exchange/records.h, engine/_book_layout.ts) with global book ids,
 *   in time order per step.
 *
 * The mids are read and the L3 log decoded as streams, so neither file is
 * ever held whole in memory beyond the per-book series it yields.
 *
 * @module
 */
import { type TradeEvent, WIRE_DECIMALS } from "@/engine/book_records.ts";
import { type TradeFlow, TradeFlowBuilder } from "@/engine/sim/trade_flow.ts";

export type { TradeFlow };
import { decodeEvents, RECORD_BYTES } from "@/engine/_book_layout.ts";

/** The files of a run directory. */
export const RUN_FILES = { manifest: "run.json", mids: "mids.f64", l3: "l3.bin.gz" } as const;
/** The manifest version this reader understands. */
export const RUN_MANIFEST_VERSION = 1;
/** RecordKind::kTrade in native/exchange/records.h; its side is the taker's (engine.cc SettleFill). */
const TRADE_RECORD_KIND = 2;
const FLOAT64_BYTES = 8;
/** Rows or records decoded per batch while streaming. */
const BATCH_UNITS = 4_096;

/** run.json: what was simulated and how. */
export interface RunManifest {
  version: typeof RUN_MANIFEST_VERSION;
  seed: number;
  books: number;
  /** Completed simulated seconds: rows of mids.f64. */
  seconds: number;
  stepNs: number;
  priceDecimals: number;
  volumeDecimals: number;
  /** Simulation parameters by dotted name, e.g. "stylized.count". */
  params: Record<string, number>;
  /**
   * Optional: simulated time at the start of row 0's second, ns; 0 unless the
   * run resumed from a checkpoint. Aligns trade times with the mids.
   */
  startNs?: number;
}

/** A run directory that is missing, incomplete or not in the expected format. */
export class RunFormatError extends Error {
  override name = "RunFormatError";
}

/** Per book: market-order signs and traded volume per second. */

function pathIn(dir: string, file: string): string {
  return `${dir.replace(/\/+$/, "")}/${file}`;
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function integerField(
  json: Record<string, unknown>,
  field: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = json[field];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RunFormatError(
      `Invalid run.json: "${field}" must be an integer ${range}, got ${describe(value)}`,
    );
  }
  return value;
}

/** Checks a parsed run.json, naming the first field that is wrong. */
export function parseRunManifest(json: unknown): RunManifest {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new RunFormatError(`Invalid run.json: expected an object, got ${describe(json)}`);
  }
  const fields = json as Record<string, unknown>;
  if (fields.version !== RUN_MANIFEST_VERSION) {
    throw new RunFormatError(
      `Invalid run.json: "version" must be ${RUN_MANIFEST_VERSION}, got ${
        describe(fields.version)
      }`,
    );
  }
  const params = fields.params;
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new RunFormatError(
      `Invalid run.json: "params" must be an object of numbers, got ${describe(params)}`,
    );
  }
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RunFormatError(
        `Invalid run.json: "params.${name}" must be a number, got ${describe(value)}`,
      );
    }
  }
  return {
    version: RUN_MANIFEST_VERSION,
    seed: integerField(fields, "seed", Number.MIN_SAFE_INTEGER),
    books: integerField(fields, "books", 1),
    seconds: integerField(fields, "seconds", 0),
    stepNs: integerField(fields, "stepNs", 1),
    priceDecimals: integerField(fields, "priceDecimals", 0, WIRE_DECIMALS),
    volumeDecimals: integerField(fields, "volumeDecimals", 0, WIRE_DECIMALS),
    params: params as Record<string, number>,
    ...(fields.startNs === undefined ? {} : { startNs: integerField(fields, "startNs", 0) }),
  };
}

async function openFile(dir: string, file: string): Promise<Deno.FsFile> {
  try {
    return await Deno.open(pathIn(dir, file));
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? `${file} not found`
      : `cannot open ${file}: ${(error as Error).message}`;
    throw new RunFormatError(`Cannot read run "${dir}": ${reason}`);
  }
}

/** Reads and checks `dir`/run.json. */
export async function readRunManifest(dir: string): Promise<RunManifest> {
  const file = await openFile(dir, RUN_FILES.manifest);
  const text = await new Response(file.readable).text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunFormatError(`Invalid run.json in "${dir}": ${(error as Error).message}`);
  }
  return parseRunManifest(json);
}

/**
 * Regroups a byte stream into batches of whole `unitBytes` units (at most
 * `BATCH_UNITS` per batch; one buffer, reused, so read each batch before the
 * next). The last batch is short; a partial unit after it throws with
 * `describeTail`'s message.
 */
async function* wholeUnits(
  stream: ReadableStream<Uint8Array>,
  unitBytes: number,
  describeTail: (bytes: number) => string,
): AsyncGenerator<Uint8Array> {
  const batch = new Uint8Array(unitBytes * BATCH_UNITS);
  let filled = 0;
  for await (const chunk of stream) {
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(batch.length - filled, chunk.length - at);
      batch.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === batch.length) {
        yield batch;
        filled = 0;
      }
    }
  }
  const whole = filled - filled % unitBytes;
  if (whole > 0) yield batch.subarray(0, whole);
  if (filled !== whole) throw new RunFormatError(describeTail(filled - whole));
}

/**
 * Reads mids.f64 into one series per book of `manifest.seconds` mids.
 * Whole rows beyond `seconds` (a run still writing) are ignored.
 */
export async function readMids(dir: string, manifest: RunManifest): Promise<Float64Array[]> {
  const rowBytes = manifest.books * FLOAT64_BYTES;
  const file = await openFile(dir, RUN_FILES.mids);
  const { size } = await file.stat();
  const rows = Math.floor(size / rowBytes);
  if (size % rowBytes !== 0 || rows < manifest.seconds) {
    file.close();
    throw new RunFormatError(
      `Invalid mids.f64 in "${dir}": ${size} bytes, expected ${manifest.seconds} rows of ` +
        `${manifest.books} float64 (${manifest.seconds * rowBytes} bytes) as run.json says`,
    );
  }
  const mids = Array.from({ length: manifest.books }, () => new Float64Array(manifest.seconds));
  let row = 0;
  const batches = wholeUnits(
    file.readable,
    rowBytes,
    (bytes) => `Invalid mids.f64 in "${dir}": ends mid-row (${bytes} bytes)`,
  );
  for await (const batch of batches) {
    const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
    for (let at = 0; at < batch.length && row < manifest.seconds; at += rowBytes, row++) {
      for (let book = 0; book < manifest.books; book++) {
        mids[book][row] = view.getFloat64(at + book * FLOAT64_BYTES, true);
      }
    }
    if (row === manifest.seconds) break;
  }
  return mids;
}

/** Streams the 80-byte records of l3.bin.gz in batches of whole records. */
export async function* readL3Records(dir: string): AsyncGenerator<Uint8Array> {
  const file = await openFile(dir, RUN_FILES.l3);
  const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
  try {
    yield* wholeUnits(
      stream,
      RECORD_BYTES,
      (bytes) => `Invalid l3.bin.gz in "${dir}": ends with ${bytes} bytes of a partial record`,
    );
  } catch (error) {
    if (error instanceof RunFormatError) throw error;
    throw new RunFormatError(
      `Cannot decompress l3.bin.gz in "${dir}": ${(error as Error).message}`,
    );
  }
}

/** Streams the trades of l3.bin.gz, checking each book id against the manifest. */
export async function* readTrades(dir: string, manifest: RunManifest): AsyncGenerator<TradeEvent> {
  let index = 0;
  for await (const batch of readL3Records(dir)) {
    for (let at = 0; at < batch.length; at += RECORD_BYTES, index++) {
      if (batch[at] !== TRADE_RECORD_KIND) continue;
      const trade = decodeEvents(batch.subarray(at, at + RECORD_BYTES), 1)[0] as TradeEvent;
      if (trade.bookId >= manifest.books) {
        throw new RunFormatError(
          `Invalid l3.bin.gz in "${dir}": record ${index} is on book ${trade.bookId}, ` +
            `but the run has ${manifest.books} books`,
        );
      }
      yield trade;
    }
  }
}

/**
 * Streams l3.bin.gz into per-book order signs and per-second volumes. A trade
 * at `timeNs` falls in the second that mids row ⌊(timeNs − startNs) / 10⁹⌋
 * ends; trades outside the completed seconds are left out of the volumes.
 */
export async function readTradeFlow(dir: string, manifest: RunManifest): Promise<TradeFlow> {
  const flow = new TradeFlowBuilder(manifest.books, manifest.seconds, manifest.startNs ?? 0);
  for await (const trade of readTrades(dir, manifest)) flow.add(trade);
  return flow.finish();
}

/** A whole run: its manifest, mids and trade flow. */
export interface Run {
  dir: string;
  manifest: RunManifest;
  mids: Float64Array[];
  flow: TradeFlow;
}

/** Reads every file of the run in `dir`. */
export async function readRun(dir: string): Promise<Run> {
  const manifest = await readRunManifest(dir);
  const mids = await readMids(dir, manifest);
  const flow = await readTradeFlow(dir, manifest);
  return { dir, manifest, mids, flow };
}
