/**
 * Writes a headless run's directory, the format server/sim/run_files.ts
 * reads: run.json (settings and progress), mids.f64 (each book's mid per
 * simulated second, float64 little-endian, NaN when a side is empty) and
 * l3.bin.gz (every L3 event as 80-byte records, gzip-compressed as it is
 * written so a day of books does not fill the disk).
 *
 * @module
 */
import { join } from "node:path";

export interface RunInfo {
  version: 1;
  seed: number;
  books: number;
  seconds: number;
  stepNs: number;
  priceDecimals: number;
  volumeDecimals: number;
  params: Record<string, number>;
}

export class RunWriter {
  readonly #dir: string;
  readonly #info: RunInfo;
  readonly #mids: Deno.FsFile;
  readonly #l3: WritableStreamDefaultWriter<BufferSource>;
  readonly #l3Done: Promise<void>;

  private constructor(dir: string, info: RunInfo, mids: Deno.FsFile, l3: Deno.FsFile) {
    this.#dir = dir;
    this.#info = info;
    this.#mids = mids;
    const gzip = new CompressionStream("gzip");
    this.#l3Done = gzip.readable.pipeTo(l3.writable);
    this.#l3 = gzip.writable.getWriter();
  }

  /** Creates (or empties) `dir` for a run described by `info`. */
  static async create(dir: string, info: Omit<RunInfo, "version" | "seconds">): Promise<RunWriter> {
    await Deno.mkdir(dir, { recursive: true });
    const open = (name: string) =>
      Deno.open(join(dir, name), { write: true, create: true, truncate: true });
    const writer = new RunWriter(
      dir,
      { version: 1, seconds: 0, ...info },
      await open("mids.f64"),
      await open("l3.bin.gz"),
    );
    await writer.#writeInfo();
    return writer;
  }

  /** Appends one simulated second: its events (raw records) and the mids after it. */
  async addSecond(events: Uint8Array, mids: Float64Array): Promise<void> {
    if (events.length > 0) {
      await this.#l3.ready;
      await this.#l3.write(events.slice());
    }
    const bytes = new Uint8Array(mids.length * 8);
    const view = new DataView(bytes.buffer);
    mids.forEach((mid, i) => view.setFloat64(i * 8, mid, true));
    await writeAll(this.#mids, bytes);
    this.#info.seconds++;
  }

  /** Records progress in run.json (cheap; call every simulated minute or so). */
  flushInfo(): Promise<void> {
    return this.#writeInfo();
  }

  async close(): Promise<void> {
    await this.#l3.close();
    await this.#l3Done;
    this.#mids.close();
    await this.#writeInfo();
  }

  async #writeInfo(): Promise<void> {
    const path = join(this.#dir, "run.json");
    await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(this.#info, null, 2) + "\n");
    await Deno.rename(`${path}.tmp`, path);
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += await file.write(bytes.subarray(offset));
}
