/**
 * The island bundle as it goes over the wire: Brotli or gzip, whichever the
 * browser accepts, each file compressed once and kept (the bundle does not
 * change while the server runs), so a thousand first visits cost one
 * compression, not a thousand. Pages and API answers, made per request,
 * are gzipped on the way out by Hono's compress middleware instead.
 *
 * Brotli quality 5 takes ~40 ms for the largest file (CodeMirror, ~500 KB)
 * and gives ~4.3× (quality 11 gains 15 % more for 25× the time), in zlib's
 * thread pool, so the first request for a file does not stall the loop.
 *
 * @module
 */
import type { Context } from "hono";
import { accepts } from "hono/accepts";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

/** Content codings served, best first. */
export type ContentCoding = "br" | "gzip";
const CODINGS: readonly ContentCoding[] = ["br", "gzip"];

const BROTLI_QUALITY = 5;
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
const compressors: Record<ContentCoding, (bytes: Uint8Array) => Promise<Uint8Array>> = {
  br: (bytes) =>
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gzip: (bytes) => gzipped(bytes, { level: 9 }),
};

/** Served as it is. */
const IDENTITY = "identity";

/**
 * The coding to answer the request's `Accept-Encoding` with (parsed by
 * Hono): the best one it allows (q > 0; `*` stands for any not named), or
 * null for the bytes as they are. Equal q-values go by our order, Brotli
 * first (Chromium sends "gzip, deflate, br, zstd", all at q = 1).
 */
export function preferredCoding(c: Context): ContentCoding | null {
  const coding = accepts(c, {
    header: "Accept-Encoding",
    supports: [...CODINGS],
    default: IDENTITY,
    match: (offered) => {
      const weight = (name: string) =>
        offered.find((accept) => accept.type.toLowerCase() === name)?.q;
      const any = weight("*") ?? 0;
      let best = IDENTITY;
      let bestWeight = 0;
      for (const coding of CODINGS) {
        const q = weight(coding) ?? any;
        if (q > bestWeight) [best, bestWeight] = [coding, q];
      }
      return best;
    },
  });
  return coding === IDENTITY ? null : coding as ContentCoding;
}

/** Compressed copies of a fixed set of files, made on first request and kept. */
export class EncodedFiles {
  readonly #files: ReadonlyMap<string, Uint8Array>;
  readonly #encoded = new Map<string, Promise<Uint8Array>>();

  constructor(files: ReadonlyMap<string, Uint8Array>) {
    this.#files = files;
  }

  /** `path` in `coding` (null: as it is), or undefined when there is no such file. */
  get(path: string, coding: ContentCoding | null): Promise<Uint8Array> | undefined {
    const file = this.#files.get(path);
    if (file === undefined) return undefined;
    if (coding === null) return Promise.resolve(file);
    const key = `${coding} ${path}`;
    let encoded = this.#encoded.get(key);
    if (encoded === undefined) {
      encoded = compressors[coding](file);
      this.#encoded.set(key, encoded);
    }
    return encoded;
  }
}
