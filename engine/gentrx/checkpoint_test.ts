import { deepEqual, equal, throws } from "node:assert/strict";
import {
  CHECKPOINT_MAGIC,
  decodeCheckpoint,
  encodeCheckpoint,
  MAX_CHECKPOINT_HEADER_BYTES,
} from "@/engine/gentrx/checkpoint.ts";
import { type GenTrxConfig, TINY_GENTRX_CONFIG } from "@/engine/gentrx/config.ts";
import { GenTrxModel } from "@/engine/gentrx/model.ts";

const CONFIG: GenTrxConfig = { ...TINY_GENTRX_CONFIG, modelDim: 16, heads: 2, ffDim: 24 };
const model = GenTrxModel.create(CONFIG, 21);
const bytes = encodeCheckpoint(model);
const view = new DataView(bytes.buffer);
const headerBytes = view.getUint32(12, true);

/** A copy of the checkpoint with its header JSON replaced (data kept, padding redone). */
function withHeader(
  edit: (header: { config: GenTrxConfig; tensors: unknown[] }) => void,
): Uint8Array {
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerBytes)));
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataOffset = Math.ceil((16 + headerBytes) / 4) * 4;
  const newOffset = Math.ceil((16 + json.length) / 4) * 4;
  const out = new Uint8Array(newOffset + bytes.length - dataOffset);
  out.set(bytes.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(bytes.subarray(dataOffset), newOffset);
  return out;
}

function patched(offset: number, write: (view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  write(new DataView(copy.buffer, offset));
  return copy;
}

Deno.test("a checkpoint round-trips config and every tensor bit for bit", () => {
  equal(new TextDecoder().decode(bytes.subarray(0, 8)), CHECKPOINT_MAGIC);
  const loaded = decodeCheckpoint(bytes);
  deepEqual(loaded.config, model.config);
  deepEqual(loaded.parameters, model.parameters);
});

Deno.test("a checkpoint read from an unaligned offset still loads", () => {
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  deepEqual(decodeCheckpoint(shifted.subarray(1)).parameters, model.parameters);
});

Deno.test("tensor data starts 4-byte aligned and fills the rest of the file", () => {
  const dataOffset = Math.ceil((16 + headerBytes) / 4) * 4;
  let values = 0;
  for (const tensor of model.parameters.values()) values += tensor.length;
  equal(bytes.length, dataOffset + 4 * values);
});

Deno.test("corrupt checkpoints are clear errors naming the field and the limit", () => {
  const cases: [Uint8Array, RegExp][] = [
    [bytes.subarray(0, 10), /file is 10 bytes, shorter than the 16-byte fixed header/],
    [patched(0, (v) => v.setUint8(0, 0x58)), /magic is "XENTRXCK", expected "GENTRXCK"/],
    [patched(8, (v) => v.setUint32(0, 2, true)), /version is 2, expected 1/],
    [
      patched(12, (v) => v.setUint32(0, MAX_CHECKPOINT_HEADER_BYTES + 1, true)),
      new RegExp(
        `header is ${MAX_CHECKPOINT_HEADER_BYTES + 1} bytes, limit ${MAX_CHECKPOINT_HEADER_BYTES}`,
      ),
    ],
    [bytes.subarray(0, 100), /header is \d+ bytes, but only 84 follow the fixed header/],
    [patched(16, (v) => v.setUint8(0, 0x7b + 1)), /header is not UTF-8 JSON/],
    [withHeader((h) => h.tensors.pop()), /header lists \d+ tensors, expected \d+/],
    [
      withHeader((h) => (h.tensors[7] = { name: "wq.0", shape: [16, 16] })),
      /tensor 7 is "wq.0", expected "layers.0.wq"/,
    ],
    [
      withHeader((h) => (h.tensors[7] = { name: "layers.0.wq", shape: [10, 10] })),
      /tensor "layers.0.wq" has shape \[10,10\], expected \[16,16\]/,
    ],
    [
      withHeader((h) => (h.config.layers = -1)),
      /Cannot load checkpoint: Invalid GenTRX config: layers is -1/,
    ],
    [
      withHeader((h) => (h.config.tokenizer.priceBins = 1)),
      /Cannot load checkpoint: Cannot build 0 log bins/,
    ],
    [bytes.subarray(0, bytes.length - 4), /file is \d+ bytes, expected \d+ for its \d+ tensors/],
    [
      patched(bytes.length - 4, (v) => v.setFloat32(0, NaN, true)),
      /tensor "head.interval.weight" holds NaN at index \d+/,
    ],
  ];
  for (const [corrupt, message] of cases) {
    throws(() => decodeCheckpoint(corrupt), (error: Error) => {
      equal(error instanceof RangeError, true);
      equal(error.message.startsWith("Cannot load checkpoint: "), true, error.message);
      return message.test(error.message);
    });
  }
});
