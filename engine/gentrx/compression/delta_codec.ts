/**
 * The compressed weight-delta file a miner uploads each round (taos.md
 * §6.3–6.4), going past τaos's plain top-10% in Templar's direction
 * (ml.md §5.2): each tensor is cut into fixed-size chunks, optionally
 * DCT-II transformed, the top-k entries of every chunk by magnitude are
 * kept, their values are quantised to int8 with one float32 scale per chunk,
 * and their in-chunk indices are bit-packed at ⌈log₂ chunk⌉ bits. What a
 * round leaves out is carried to the next round by `ErrorFeedback`.
 *
 * Layout, all integers little-endian:
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 8 | magic `GTRXDLTA` (ASCII) |
 * | 8 | 4 | format version, u32 (1) |
 * | 12 | 4 | header length H in bytes, u32 |
 * | 16 | H | header, UTF-8 JSON: `{ modelVersion, codec: { chunkSize, topK, dct, valueBits }, tensors: [{ name, shape }], meta }` |
 * | 16 + H | … | per tensor in header order: chunk scales (f32 each, only when valueBits is 8), values (int8 or f32, Σ kᵢ), indices (packed, Σ kᵢ) |
 *
 * Chunk i of a tensor holds kᵢ = min(topK, chunk length) entries, so every
 * section's size follows from the header and the file's length must match
 * exactly. Decoding treats the bytes as hostile: each length, index and
 * value is checked before use and each failure names the field and limit.
 *
 * @module
 */
import { packBits, packedBytes, unpackBits } from "@/engine/gentrx/compression/bit_pack.ts";
import { dct, inverseDct } from "@/engine/gentrx/compression/dct.ts";
import type { Parameters } from "@/engine/gentrx/parameters.ts";

export const DELTA_MAGIC = "GTRXDLTA";
export const DELTA_VERSION = 1;
/** τaos refuses gradient files over 20 MB (taos.md §6.4). */
export const MAX_DELTA_BYTES = 20_000_000;
export const MAX_DELTA_HEADER_BYTES = 1 << 20;
export const MAX_DELTA_TENSORS = 4096;
export const MAX_TENSOR_NAME_LENGTH = 200;
export const MAX_TENSOR_RANK = 4;
/** Dense values a decoded delta may hold in all: about 2.7× τaos's 12.1M-parameter model. */
export const MAX_DELTA_VALUES = 1 << 25;
export const MIN_CHUNK_SIZE = 2;
/** Templar's 64×64 blocks hold 4096 values (ml.md §5.2). */
export const MAX_CHUNK_SIZE = 4096;

const FIXED_HEADER_BYTES = 16;
const INT8_LIMIT = 127;

export interface CodecOptions {
  /** Values per chunk (flattened row-major). */
  chunkSize: number;
  /** Entries kept per chunk. */
  topK: number;
  /** Select in the DCT-II domain of each chunk (DeMo), decode with the inverse. */
  dct: boolean;
  /** 8: int8 with a float32 scale per chunk; 32: float32 values (lossless top-k). */
  valueBits: 8 | 32;
}

/**
 * The default: 256-value chunks, top 8 (1/32 of the values), int8, no DCT.
 * `compression_bench.ts` measures it against plain top-10% and a dense delta.
 */
export const DEFAULT_CODEC: CodecOptions = { chunkSize: 256, topK: 8, dct: false, valueBits: 8 };

/** What the miner reports with a delta (τaos's gradient metadata, taos.md §6.4). */
export interface DeltaMeta {
  round?: number;
  minerUid?: number;
  stepsTrained?: number;
  lossBefore?: number;
  lossAfter?: number;
}

const META_KEYS = ["round", "minerUid", "stepsTrained", "lossBefore", "lossAfter"] as const;

/** A dense weight delta: θ_after − θ_before per named tensor, with the tensors' shapes. */
export interface ModelDelta {
  values: Parameters;
  shapes: ReadonlyMap<string, readonly number[]>;
}

export interface DecodedDelta extends ModelDelta {
  /** The model version the delta was trained from. */
  modelVersion: number;
  codec: CodecOptions;
  meta: DeltaMeta;
}

export interface EncodeOptions {
  modelVersion: number;
  codec?: CodecOptions;
  /** Carries what this upload leaves out to the next one; updated in place. */
  feedback?: ErrorFeedback;
  meta?: DeltaMeta;
}

/** What `decodeDelta` checks beyond the format, e.g. the server's current model. */
export interface DecodeExpectation {
  modelVersion?: number;
  /** Exactly these tensors, in any order, with these shapes. */
  shapes?: ReadonlyMap<string, readonly number[]>;
}

/**
 * Error feedback (DeMo; Templar's `e ← decay·e + Δ`, then `e ← e − transmitted`,
 * ml.md §5.2): per tensor, the part of past deltas not yet transmitted.
 * With decay 1 the sum of decoded uploads equals the sum of true deltas
 * minus the current residual.
 */
export class ErrorFeedback {
  readonly decay: number;
  readonly residuals: Parameters = new Map();

  constructor(decay = 1) {
    if (!(decay >= 0 && decay <= 1)) {
      throw new RangeError(`Invalid error feedback: decay is ${decay}, expected 0 to 1`);
    }
    this.decay = decay;
  }

  /** decay·residual + delta: what this round should transmit for `name`. */
  target(name: string, delta: Float32Array): Float32Array {
    const residual = this.residuals.get(name);
    const target = Float32Array.from(delta);
    if (residual !== undefined && residual.length === delta.length) {
      for (let i = 0; i < target.length; i++) target[i] += this.decay * residual[i];
    }
    return target;
  }

  /** Keeps target − transmitted as `name`'s residual. */
  keep(name: string, target: Float32Array, transmitted: Float32Array): void {
    const residual = new Float32Array(target.length);
    for (let i = 0; i < residual.length; i++) residual[i] = target[i] - transmitted[i];
    this.residuals.set(name, residual);
  }
}

function fail(detail: string): Error {
  return new RangeError(`Cannot decode weight delta: ${detail}`);
}

function indexBits(chunkSize: number): number {
  return Math.ceil(Math.log2(chunkSize));
}

function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((product, length) => product * length, 1);
}

/** Entries kept in each chunk of a tensor of `size` values. */
function entriesPerChunk(size: number, codec: CodecOptions): number[] {
  const counts: number[] = [];
  for (let start = 0; start < size; start += codec.chunkSize) {
    counts.push(Math.min(codec.topK, size - start, codec.chunkSize));
  }
  return counts;
}

/** Bytes of one tensor's body. */
function tensorBodyBytes(size: number, codec: CodecOptions): number {
  const counts = entriesPerChunk(size, codec);
  const entries = counts.reduce((sum, count) => sum + count, 0);
  const scales = codec.valueBits === 8 ? 4 * counts.length : 0;
  return scales + entries * (codec.valueBits / 8) +
    packedBytes(entries, indexBits(codec.chunkSize));
}

export function validateCodec(codec: CodecOptions, fault = (d: string) => new RangeError(d)): void {
  const { chunkSize, topK, valueBits } = codec;
  if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw fault(
      `codec.chunkSize is ${chunkSize}, expected an integer ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}`,
    );
  }
  if (!Number.isInteger(topK) || topK < 1 || topK > chunkSize) {
    throw fault(`codec.topK is ${topK}, expected an integer 1 to chunkSize (${chunkSize})`);
  }
  if (typeof codec.dct !== "boolean") throw fault(`codec.dct is ${codec.dct}, expected a boolean`);
  if (valueBits !== 8 && valueBits !== 32) {
    throw fault(`codec.valueBits is ${valueBits}, expected 8 or 32`);
  }
}

interface EncodedChunk {
  indices: number[];
  values: Float64Array;
  /** The chunk as the decoder will rebuild it. */
  decoded: Float32Array;
  scale: number;
  quantised: Int8Array;
}

function encodeChunk(chunk: Float32Array, topK: number, codec: CodecOptions): EncodedChunk {
  const length = chunk.length;
  const coded = new Float64Array(length);
  if (codec.dct) dct(chunk, coded);
  else coded.set(chunk);
  const order = Array.from({ length }, (_, i) => i);
  order.sort((a, b) => Math.abs(coded[b]) - Math.abs(coded[a]) || a - b);
  const indices = order.slice(0, topK).sort((a, b) => a - b);
  const values = Float64Array.from(indices, (i) => coded[i]);
  const quantised = new Int8Array(indices.length);
  let scale = 0;
  const restored = new Float64Array(length);
  if (codec.valueBits === 8) {
    let peak = 0;
    for (const value of values) peak = Math.max(peak, Math.abs(value));
    scale = Math.fround(peak / INT8_LIMIT);
    indices.forEach((index, j) => {
      const q = scale === 0 ? 0 : Math.max(
        -INT8_LIMIT,
        Math.min(INT8_LIMIT, Math.round(values[j] / scale)),
      );
      quantised[j] = q;
      restored[index] = q * scale;
    });
  } else {
    indices.forEach((index, j) => (restored[index] = Math.fround(values[j])));
  }
  const decoded = new Float32Array(length);
  if (codec.dct) inverseDct(restored, decoded);
  else decoded.set(restored);
  return { indices, values, decoded, scale, quantised };
}

/**
 * Compresses `delta` into the layout above. With `feedback`, the residual of
 * earlier rounds is added first and what this upload misses is kept.
 */
export function encodeDelta(delta: ModelDelta, options: EncodeOptions): Uint8Array {
  const codec = options.codec ?? DEFAULT_CODEC;
  validateCodec(codec, (detail) => new RangeError(`Cannot encode weight delta: ${detail}`));
  if (!Number.isInteger(options.modelVersion) || options.modelVersion < 0) {
    throw new RangeError(
      `Cannot encode weight delta: modelVersion is ${options.modelVersion}, expected an integer ≥ 0`,
    );
  }
  const tensors = [...delta.values.keys()].map((name) => {
    const shape = delta.shapes.get(name);
    if (shape === undefined) {
      throw new RangeError(`Cannot encode weight delta: tensor "${name}" has no shape`);
    }
    if (sizeOfShape(shape) !== delta.values.get(name)!.length) {
      throw new RangeError(
        `Cannot encode weight delta: tensor "${name}" has ${
          delta.values.get(name)!.length
        } values, shape [${shape}] holds ${sizeOfShape(shape)}`,
      );
    }
    return { name, shape: [...shape] };
  });
  const header = new TextEncoder().encode(
    JSON.stringify({
      modelVersion: options.modelVersion,
      codec,
      tensors,
      meta: options.meta ?? {},
    }),
  );
  let bodyBytes = 0;
  for (const { shape } of tensors) bodyBytes += tensorBodyBytes(sizeOfShape(shape), codec);
  const bytes = new Uint8Array(FIXED_HEADER_BYTES + header.length + bodyBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(DELTA_MAGIC), 0);
  view.setUint32(8, DELTA_VERSION, true);
  view.setUint32(12, header.length, true);
  bytes.set(header, FIXED_HEADER_BYTES);
  let offset = FIXED_HEADER_BYTES + header.length;
  const bits = indexBits(codec.chunkSize);
  for (const { name } of tensors) {
    const raw = delta.values.get(name)!;
    const bad = raw.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new RangeError(`Cannot encode weight delta: tensor "${name}" is not finite at ${bad}`);
    }
    const target = options.feedback ? options.feedback.target(name, raw) : raw;
    const counts = entriesPerChunk(target.length, codec);
    const chunks = counts.map((count, c) =>
      encodeChunk(
        target.subarray(c * codec.chunkSize, Math.min(target.length, (c + 1) * codec.chunkSize)),
        count,
        codec,
      )
    );
    if (codec.valueBits === 8) {
      for (const chunk of chunks) {
        view.setFloat32(offset, chunk.scale, true);
        offset += 4;
      }
    }
    for (const chunk of chunks) {
      if (codec.valueBits === 8) {
        bytes.set(new Uint8Array(chunk.quantised.buffer), offset);
        offset += chunk.quantised.length;
      } else {
        for (const value of chunk.values) {
          view.setFloat32(offset, value, true);
          offset += 4;
        }
      }
    }
    const indices = chunks.flatMap((chunk) => chunk.indices);
    packBits(indices, bits, bytes.subarray(offset));
    offset += packedBytes(indices.length, bits);
    if (options.feedback) {
      const transmitted = new Float32Array(target.length);
      chunks.forEach((chunk, c) => transmitted.set(chunk.decoded, c * codec.chunkSize));
      options.feedback.keep(name, target, transmitted);
    }
  }
  return bytes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface ParsedHeader {
  modelVersion: number;
  codec: CodecOptions;
  tensors: { name: string; shape: number[] }[];
  meta: DeltaMeta;
}

function parseHeader(text: string): ParsedHeader {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw fail("header is not valid JSON");
  }
  if (!isRecord(header)) throw fail("header is not a JSON object");
  const { modelVersion, codec, tensors, meta } = header;
  if (!Number.isSafeInteger(modelVersion) || (modelVersion as number) < 0) {
    throw fail(`modelVersion is ${JSON.stringify(modelVersion)}, expected an integer ≥ 0`);
  }
  if (!isRecord(codec)) throw fail("codec is missing or not an object");
  const parsedCodec = {
    chunkSize: codec.chunkSize,
    topK: codec.topK,
    dct: codec.dct,
    valueBits: codec.valueBits,
  } as CodecOptions;
  validateCodec(parsedCodec, fail);
  if (!Array.isArray(tensors)) throw fail("tensors is not an array");
  if (tensors.length > MAX_DELTA_TENSORS) {
    throw fail(`tensors has ${tensors.length} entries, limit ${MAX_DELTA_TENSORS}`);
  }
  const names = new Set<string>();
  let totalValues = 0;
  const parsedTensors = tensors.map((entry, t) => {
    if (!isRecord(entry)) throw fail(`tensors[${t}] is not an object`);
    const { name, shape } = entry;
    if (typeof name !== "string" || name.length === 0 || name.length > MAX_TENSOR_NAME_LENGTH) {
      throw fail(`tensors[${t}].name is not a string of 1 to ${MAX_TENSOR_NAME_LENGTH} characters`);
    }
    if (names.has(name)) throw fail(`tensors[${t}].name "${name}" is repeated`);
    names.add(name);
    if (
      !Array.isArray(shape) || shape.length < 1 || shape.length > MAX_TENSOR_RANK ||
      !shape.every((length) => Number.isSafeInteger(length) && length >= 1)
    ) {
      throw fail(
        `tensors[${t}].shape of "${name}" is ${
          JSON.stringify(shape)
        }, expected 1 to ${MAX_TENSOR_RANK} positive integers`,
      );
    }
    totalValues += sizeOfShape(shape);
    if (totalValues > MAX_DELTA_VALUES) {
      throw fail(`tensors hold over ${MAX_DELTA_VALUES} values, the limit`);
    }
    return { name, shape: shape as number[] };
  });
  const parsedMeta: DeltaMeta = {};
  if (meta !== undefined) {
    if (!isRecord(meta)) throw fail("meta is not an object");
    for (const [key, value] of Object.entries(meta)) {
      if (!(META_KEYS as readonly string[]).includes(key)) {
        throw fail(`meta.${key} is not a known field (${META_KEYS.join(", ")})`);
      }
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw fail(`meta.${key} is ${JSON.stringify(value)}, expected a finite number`);
      }
      parsedMeta[key as keyof DeltaMeta] = value;
    }
  }
  return {
    modelVersion: modelVersion as number,
    codec: parsedCodec,
    tensors: parsedTensors,
    meta: parsedMeta,
  };
}

function checkExpectation(header: ParsedHeader, expected: DecodeExpectation): void {
  if (expected.modelVersion !== undefined && header.modelVersion !== expected.modelVersion) {
    throw fail(`modelVersion is ${header.modelVersion}, expected ${expected.modelVersion}`);
  }
  if (expected.shapes === undefined) return;
  for (const { name, shape } of header.tensors) {
    const want = expected.shapes.get(name);
    if (want === undefined) throw fail(`tensor "${name}" is not in the model`);
    if (want.length !== shape.length || want.some((length, i) => length !== shape[i])) {
      throw fail(`tensor "${name}" has shape [${shape}], the model's is [${want}]`);
    }
  }
  if (header.tensors.length !== expected.shapes.size) {
    const sent = new Set(header.tensors.map(({ name }) => name));
    const missing = [...expected.shapes.keys()].find((name) => !sent.has(name));
    throw fail(`tensor "${missing}" is missing`);
  }
}

/**
 * Reads a delta written by `encodeDelta` into dense tensors, or throws a
 * `RangeError` naming the field and limit. Pass `expected` to refuse a
 * delta for another model version or with other tensors before any tensor
 * memory is allocated.
 */
export function decodeDelta(bytes: Uint8Array, expected: DecodeExpectation = {}): DecodedDelta {
  if (bytes.length > MAX_DELTA_BYTES) {
    throw fail(`file is ${bytes.length} bytes, limit ${MAX_DELTA_BYTES}`);
  }
  if (bytes.length < FIXED_HEADER_BYTES) {
    throw fail(
      `file is ${bytes.length} bytes, shorter than the ${FIXED_HEADER_BYTES}-byte fixed header`,
    );
  }
  const magic = String.fromCharCode(...bytes.subarray(0, DELTA_MAGIC.length));
  if (magic !== DELTA_MAGIC) {
    throw fail(`magic is ${JSON.stringify(magic)}, expected "${DELTA_MAGIC}"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== DELTA_VERSION) throw fail(`version is ${version}, expected ${DELTA_VERSION}`);
  const headerBytes = view.getUint32(12, true);
  if (headerBytes > MAX_DELTA_HEADER_BYTES) {
    throw fail(`header is ${headerBytes} bytes, limit ${MAX_DELTA_HEADER_BYTES}`);
  }
  if (FIXED_HEADER_BYTES + headerBytes > bytes.length) {
    throw fail(
      `header is ${headerBytes} bytes, but only ${
        bytes.length - FIXED_HEADER_BYTES
      } follow the fixed header`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + headerBytes),
    );
  } catch {
    throw fail("header is not valid UTF-8");
  }
  const header = parseHeader(text);
  checkExpectation(header, expected);
  const { codec } = header;
  let offset = FIXED_HEADER_BYTES + headerBytes;
  let bodyBytes = 0;
  for (const { shape } of header.tensors) bodyBytes += tensorBodyBytes(sizeOfShape(shape), codec);
  if (offset + bodyBytes !== bytes.length) {
    throw fail(`file is ${bytes.length} bytes, the header describes ${offset + bodyBytes}`);
  }
  const bits = indexBits(codec.chunkSize);
  const values: Parameters = new Map();
  const shapes = new Map<string, number[]>();
  for (const { name, shape } of header.tensors) {
    const size = sizeOfShape(shape);
    const counts = entriesPerChunk(size, codec);
    const entries = counts.reduce((sum, count) => sum + count, 0);
    const scales = new Float32Array(counts.length);
    if (codec.valueBits === 8) {
      for (let c = 0; c < counts.length; c++, offset += 4) {
        scales[c] = view.getFloat32(offset, true);
        if (!(Number.isFinite(scales[c]) && scales[c] >= 0)) {
          throw fail(`tensor "${name}" chunk ${c} has scale ${scales[c]}, expected finite and ≥ 0`);
        }
      }
    }
    const entryValues = new Float64Array(entries);
    for (let j = 0; j < entries; j++) {
      if (codec.valueBits === 8) {
        entryValues[j] = view.getInt8(offset++);
      } else {
        entryValues[j] = view.getFloat32(offset, true);
        offset += 4;
        if (!Number.isFinite(entryValues[j])) {
          throw fail(`tensor "${name}" value ${j} is ${entryValues[j]}, expected finite`);
        }
      }
    }
    const indices = unpackBits(bytes.subarray(offset), entries, bits);
    offset += packedBytes(entries, bits);
    const dense = new Float32Array(size);
    let entry = 0;
    counts.forEach((count, c) => {
      const start = c * codec.chunkSize;
      const length = Math.min(codec.chunkSize, size - start);
      const coded = new Float64Array(length);
      for (let j = 0; j < count; j++, entry++) {
        const index = indices[entry];
        if (index >= length || (j > 0 && index <= indices[entry - 1])) {
          throw fail(
            `tensor "${name}" chunk ${c} index ${index} is out of order or past the chunk length ${length}`,
          );
        }
        coded[index] = codec.valueBits === 8 ? entryValues[entry] * scales[c] : entryValues[entry];
      }
      const chunk = dense.subarray(start, start + length);
      if (codec.dct) inverseDct(coded, chunk);
      else chunk.set(coded);
    });
    const bad = dense.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) throw fail(`tensor "${name}" decodes to a non-finite value at ${bad}`);
    values.set(name, dense);
    shapes.set(name, shape);
  }
  return { modelVersion: header.modelVersion, codec, meta: header.meta, values, shapes };
}

/**
 * Bytes of τaos's plain per-tensor top-k upload of `frac` of the values
 * (taos.md §6.4): float32 values plus `indexBytes`-wide indices (torch's
 * int64, or int32), metadata not counted.
 */
export function plainTopKBytes(
  shapes: ReadonlyMap<string, readonly number[]>,
  frac: number,
  indexBytes: 4 | 8,
): number {
  let bytes = 0;
  for (const shape of shapes.values()) {
    bytes += Math.max(1, Math.ceil(frac * sizeOfShape(shape))) * (4 + indexBytes);
  }
  return bytes;
}
