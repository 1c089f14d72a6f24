/**
 * The GenTRX checkpoint file: a model's config (tokenizer included) and its
 * named float32 tensors, as miners download it for a cold start
 * (taos.md §6.3: "cold start: full checkpoint"). Loading treats the bytes as
 * untrusted (τaos copies Templar's "safe loading", §8): every length is
 * checked before it is used and every failure names the field and the limit.
 *
 * Layout, all integers little-endian:
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0 | 8 | magic `GENTRXCK` (ASCII) |
 * | 8 | 4 | format version, u32 (1) |
 * | 12 | 4 | header length H in bytes, u32 |
 * | 16 | H | header, UTF-8 JSON: `{ "config": GenTrxConfig, "tensors": [{ "name", "shape" }] }` |
 * | 16 + H | 0–3 | zero padding to a multiple of 4 |
 * | D | 4·Σ sizes | each tensor's float32 values in header order, row-major |
 *
 * The header's tensor list must equal `parameterSpecs(config)` (names,
 * order and shapes), so a checkpoint can only hold a model the code can run.
 *
 * @module
 */
import { type GenTrxConfig, validateConfig } from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";
import { type Parameters, parameterSpecs, sizeOf } from "@/engine/gentrx/parameters.ts";
import { Tokenizer } from "@/engine/gentrx/tokenizer.ts";

export const CHECKPOINT_MAGIC = "GENTRXCK";
export const CHECKPOINT_VERSION = 1;
/** Largest header accepted; a τaos-sized header is about 4 KiB. */
export const MAX_CHECKPOINT_HEADER_BYTES = 1 << 20;

const FIXED_HEADER_BYTES = 16;
const FLOAT32_BYTES = 4;

interface TensorEntry {
  name: string;
  shape: number[];
}

function fail(detail: string): Error {
  return new RangeError(`Cannot load checkpoint: ${detail}`);
}

function alignTo4(offset: number): number {
  return Math.ceil(offset / 4) * 4;
}

/** Serialises a model to the checkpoint layout above. */
export function encodeCheckpoint(model: GenTrxModel): Uint8Array {
  const tensors: TensorEntry[] = [...parameterSpecs(model.config)].map(([name, { shape }]) => ({
    name,
    shape,
  }));
  const header = new TextEncoder().encode(JSON.stringify({ config: model.config, tensors }));
  const dataOffset = alignTo4(FIXED_HEADER_BYTES + header.length);
  let values = 0;
  for (const { shape } of tensors) values += sizeOf(shape);
  const bytes = new Uint8Array(dataOffset + values * FLOAT32_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, header.length, true);
  bytes.set(header, FIXED_HEADER_BYTES);
  let offset = dataOffset;
  for (const { name } of tensors) {
    for (const value of model.parameters.get(name)!) {
      view.setFloat32(offset, value, true);
      offset += FLOAT32_BYTES;
    }
  }
  return bytes;
}

/** Reads a checkpoint back into a model, or throws a `RangeError` saying what is wrong. */
export function decodeCheckpoint(bytes: Uint8Array): GenTrxModel {
  if (bytes.length < FIXED_HEADER_BYTES) {
    throw fail(
      `file is ${bytes.length} bytes, shorter than the ${FIXED_HEADER_BYTES}-byte fixed header`,
    );
  }
  const magic = new TextDecoder().decode(bytes.subarray(0, CHECKPOINT_MAGIC.length));
  if (magic !== CHECKPOINT_MAGIC) {
    throw fail(`magic is ${JSON.stringify(magic)}, expected "${CHECKPOINT_MAGIC}"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION) {
    throw fail(`version is ${version}, expected ${CHECKPOINT_VERSION}`);
  }
  const headerBytes = view.getUint32(12, true);
  if (headerBytes > MAX_CHECKPOINT_HEADER_BYTES) {
    throw fail(`header is ${headerBytes} bytes, limit ${MAX_CHECKPOINT_HEADER_BYTES}`);
  }
  if (FIXED_HEADER_BYTES + headerBytes > bytes.length) {
    throw fail(
      `header is ${headerBytes} bytes, but only ${
        bytes.length - FIXED_HEADER_BYTES
      } follow the fixed header`,
    );
  }
  const { config, tensors } = parseHeader(
    bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + headerBytes),
  );
  const dataOffset = alignTo4(FIXED_HEADER_BYTES + headerBytes);
  let values = 0;
  for (const { shape } of tensors) values += sizeOf(shape);
  const expectedBytes = dataOffset + values * FLOAT32_BYTES;
  if (bytes.length !== expectedBytes) {
    throw fail(
      `file is ${bytes.length} bytes, expected ${expectedBytes} for its ${tensors.length} tensors`,
    );
  }
  const parameters: Parameters = new Map();
  let offset = dataOffset;
  for (const { name, shape } of tensors) {
    const tensor = new Float32Array(sizeOf(shape));
    for (let i = 0; i < tensor.length; i++) {
      tensor[i] = view.getFloat32(offset, true);
      if (!Number.isFinite(tensor[i])) {
        throw fail(`tensor "${name}" holds ${tensor[i]} at index ${i}`);
      }
      offset += FLOAT32_BYTES;
    }
    parameters.set(name, tensor);
  }
  return new GenTrxModel(config, parameters);
}

/** Parses the JSON header and checks its tensor list against the config. */
function parseHeader(header: Uint8Array): { config: GenTrxConfig; tensors: TensorEntry[] } {
  let parsed: { config?: GenTrxConfig; tensors?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(header));
  } catch (error) {
    throw fail(`header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || typeof parsed.config !== "object") {
    throw fail("header has no config object");
  }
  const config = parsed.config;
  try {
    validateConfig(config);
    // Building the tokenizer checks that its bin schemes can exist.
    new Tokenizer(config.tokenizer);
  } catch (error) {
    throw fail((error as Error).message);
  }
  const tensors = parsed.tensors;
  // Guard before listing the config's tensors: each layer owns several, so a
  // forged layer count cannot make the expected list outgrow the header.
  const listed = Array.isArray(tensors) ? tensors.length : 0;
  if (config.layers > listed) {
    throw fail(`config has ${config.layers} layers, but the header lists only ${listed} tensors`);
  }
  const expected = [...parameterSpecs(config)];
  if (!Array.isArray(tensors) || tensors.length !== expected.length) {
    const count = Array.isArray(tensors) ? tensors.length : "no";
    throw fail(`header lists ${count} tensors, expected ${expected.length}`);
  }
  expected.forEach(([name, { shape }], index) => {
    const entry = tensors[index] as Partial<TensorEntry> | null;
    if (entry?.name !== name) {
      throw fail(`tensor ${index} is ${JSON.stringify(entry?.name)}, expected "${name}"`);
    }
    if (JSON.stringify(entry.shape) !== JSON.stringify(shape)) {
      throw fail(
        `tensor "${name}" has shape ${JSON.stringify(entry.shape)}, expected ${
          JSON.stringify(shape)
        }`,
      );
    }
  });
  return { config, tensors: tensors as TensorEntry[] };
}
