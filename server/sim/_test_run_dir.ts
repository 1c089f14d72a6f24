/**
 * Writes small run directories for the tests of run_files.ts and facts.ts,
 * byte for byte in the format `deno task sim` writes (see run_files.ts).
 *
 * @module
 */
import { RECORD_BYTES } from "@/engine/_book_layout.ts";
import type { RunManifest } from "@/server/sim/run_files.ts";

/** A trade record's fields (the taker's side: 0 buy, 1 sell). */
export interface TestTrade {
  bookId: number;
  timeNs: number;
  side: 0 | 1;
  takerOrderId: number;
  priceTicks?: number;
  quantityLots?: number;
}

/** RecordKind codes of native/exchange/records.h. */
export const PLACED_KIND = 1;
export const TRADE_KIND = 2;

/** Encodes records with `kind`, side, book, time, order id, price and quantity set. */
export function encodeRecords(
  records: readonly (TestTrade & { kind?: number })[],
): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(records.length * RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  records.forEach((record, index) => {
    const at = index * RECORD_BYTES;
    view.setUint8(at, record.kind ?? TRADE_KIND);
    view.setUint8(at + 1, record.side);
    view.setUint32(at + 4, record.bookId, true);
    view.setBigInt64(at + 8, BigInt(record.timeNs), true);
    view.setBigUint64(at + 16, BigInt(record.takerOrderId), true);
    view.setInt32(at + 24, 7, true);
    view.setBigInt64(at + 32, BigInt(record.priceTicks ?? 10_000), true);
    view.setBigInt64(at + 40, BigInt(record.quantityLots ?? 1), true);
    view.setBigUint64(at + 48, 1n, true);
  });
  return bytes;
}

export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function testManifest(overrides: Partial<RunManifest> = {}): RunManifest {
  return {
    version: 1,
    seed: 7,
    books: 2,
    seconds: 4,
    stepNs: 1_000_000_000,
    priceDecimals: 2,
    volumeDecimals: 4,
    params: { "simulation.books": 2, "stylized.count": 100 },
    ...overrides,
  };
}

/** Row-major mids.f64 bytes from per-book series of equal length. */
export function midsBytes(mids: readonly ArrayLike<number>[]): Uint8Array {
  const seconds = mids[0]?.length ?? 0;
  const bytes = new Uint8Array(seconds * mids.length * 8);
  const view = new DataView(bytes.buffer);
  for (let row = 0; row < seconds; row++) {
    mids.forEach((series, book) =>
      view.setFloat64((row * mids.length + book) * 8, series[row], true)
    );
  }
  return bytes;
}

/** Writes run.json, mids.f64 and l3.bin.gz into a new temp directory and returns its path. */
export async function writeTestRun(
  mids: readonly ArrayLike<number>[],
  l3Records: Uint8Array<ArrayBuffer>,
  manifest: unknown = testManifest({ books: mids.length, seconds: mids[0]?.length ?? 0 }),
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "marketforge-run-" });
  await Deno.writeTextFile(`${dir}/run.json`, JSON.stringify(manifest, null, 2));
  await Deno.writeFile(`${dir}/mids.f64`, midsBytes(mids));
  await Deno.writeFile(`${dir}/l3.bin.gz`, await gzip(l3Records));
  return dir;
}
