import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type CodecOptions,
  decodeDelta,
  DELTA_VERSION,
  encodeDelta,
  ErrorFeedback,
  MAX_DELTA_BYTES,
  type ModelDelta,
} from "@/engine/gentrx/compression/delta_codec.ts";
import { SeededRandom } from "@/engine/seeded_random.ts";

/** Tensors with partial last chunks and a tensor smaller than one chunk. */
const SHAPES = new Map<string, number[]>([["a.weight", [40, 13]], ["a.norm", [13]], ["b", [
  3,
  2,
  5,
]]]);

function randomDelta(seed: number, std = 1e-3): ModelDelta {
  const random = new SeededRandom(seed);
  const values = new Map(
    [...SHAPES].map(([name, shape]) => [name, random.normals(shape.reduce((a, b) => a * b), std)]),
  );
  return { values, shapes: SHAPES };
}

const LOSSLESS: CodecOptions = { chunkSize: 64, topK: 64, dct: false, valueBits: 32 };

Deno.test("with topK = chunk and float32 values the round trip is exact, header fields included", () => {
  const delta = randomDelta(1);
  const meta = { round: 7, minerUid: 3, stepsTrained: 20, lossBefore: 9.5, lossAfter: 9.25 };
  const decoded = decodeDelta(encodeDelta(delta, { modelVersion: 12, codec: LOSSLESS, meta }));
  equal(decoded.modelVersion, 12);
  deepEqual(decoded.codec, LOSSLESS);
  deepEqual(decoded.meta, meta);
  deepEqual(decoded.shapes, SHAPES);
  deepEqual(decoded.values, delta.values);
});

Deno.test("float32 top-k keeps exactly each chunk's k largest magnitudes and zeroes the rest", () => {
  const delta = randomDelta(2);
  const codec: CodecOptions = { chunkSize: 32, topK: 5, dct: false, valueBits: 32 };
  const decoded = decodeDelta(encodeDelta(delta, { modelVersion: 0, codec }));
  for (const [name, values] of delta.values) {
    const expected = new Float32Array(values.length);
    for (let start = 0; start < values.length; start += 32) {
      const chunk = [...values.subarray(start, start + 32)].map((v, i) => ({ v, i: start + i }));
      chunk.sort((x, y) => Math.abs(y.v) - Math.abs(x.v));
      for (const { v, i } of chunk.slice(0, 5)) expected[i] = v;
    }
    deepEqual(decoded.values.get(name), expected, name);
  }
});

Deno.test("int8 values are within half a quantisation step (chunk peak / 254) of the kept values", () => {
  const delta = randomDelta(3);
  const codec: CodecOptions = { chunkSize: 32, topK: 5, dct: false, valueBits: 8 };
  const exact = decodeDelta(
    encodeDelta(delta, { modelVersion: 0, codec: { ...codec, valueBits: 32 } }),
  );
  const quantised = decodeDelta(encodeDelta(delta, { modelVersion: 0, codec }));
  for (const [name, kept] of exact.values) {
    const got = quantised.values.get(name)!;
    for (let start = 0; start < kept.length; start += 32) {
      let peak = 0;
      for (let i = start; i < Math.min(kept.length, start + 32); i++) {
        peak = Math.max(peak, Math.abs(kept[i]));
      }
      const tolerance = (peak / 254) * (1 + 1e-5) + 1e-12;
      for (let i = start; i < Math.min(kept.length, start + 32); i++) {
        ok(Math.abs(got[i] - kept[i]) <= tolerance, `${name}[${i}]: ${got[i]} vs ${kept[i]}`);
        if (kept[i] === 0) equal(got[i], 0);
      }
    }
  }
});

Deno.test("DCT with every coefficient kept reconstructs the delta within 1e-6 relative", () => {
  const delta = randomDelta(4);
  const decoded = decodeDelta(
    encodeDelta(delta, { modelVersion: 0, codec: { ...LOSSLESS, dct: true } }),
  );
  for (const [name, values] of delta.values) {
    const got = decoded.values.get(name)!;
    for (let i = 0; i < values.length; i++) {
      ok(Math.abs(got[i] - values[i]) <= 1e-6 * 1e-3 * 10, `${name}[${i}]`);
    }
  }
});

Deno.test("a smooth delta compresses better in the DCT domain than in the value domain", () => {
  const values = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i / 40) * 1e-3);
  const delta: ModelDelta = { values: new Map([["w", values]]), shapes: new Map([["w", [1024]]]) };
  const error = (dctOn: boolean) => {
    const codec: CodecOptions = { chunkSize: 64, topK: 4, dct: dctOn, valueBits: 8 };
    const got = decodeDelta(encodeDelta(delta, { modelVersion: 0, codec })).values.get("w")!;
    return values.reduce((sum, v, i) => sum + (v - got[i]) ** 2, 0);
  };
  ok(error(true) < 0.1 * error(false), `dct ${error(true)} vs plain ${error(false)}`);
});

Deno.test("error feedback: decoded uploads plus the residual equal the true deltas, and their sums converge", () => {
  const codec: CodecOptions = { chunkSize: 64, topK: 4, dct: false, valueBits: 8 };
  const feedback = new ErrorFeedback();
  const base = randomDelta(5);
  const random = new SeededRandom(6);
  const trueSum = new Map(
    [...SHAPES.keys()].map((name) => [name, new Float64Array(base.values.get(name)!.length)]),
  );
  const sentSum = new Map(
    [...SHAPES.keys()].map((name) => [name, new Float64Array(base.values.get(name)!.length)]),
  );
  const relativeErrors: number[] = [];
  for (let round = 0; round < 60; round++) {
    // A steady direction plus noise, as successive rounds of training give.
    const values = new Map([...base.values].map(([name, v]) => [
      name,
      Float32Array.from(v, (x) => x + 2e-4 * random.normal()),
    ]));
    const decoded = decodeDelta(
      encodeDelta({ values, shapes: SHAPES }, { modelVersion: round, codec, feedback }),
    );
    let gap = 0;
    let norm = 0;
    for (const [name, v] of values) {
      const t = trueSum.get(name)!;
      const s = sentSum.get(name)!;
      const residual = feedback.residuals.get(name)!;
      const got = decoded.values.get(name)!;
      for (let i = 0; i < v.length; i++) {
        t[i] += v[i];
        s[i] += got[i];
        ok(
          Math.abs(s[i] + residual[i] - t[i]) <= 1e-5 * (1 + Math.abs(t[i])),
          `${name}[${i}] round ${round}`,
        );
        gap += (t[i] - s[i]) ** 2;
        norm += t[i] ** 2;
      }
    }
    relativeErrors.push(Math.sqrt(gap / norm));
  }
  ok(relativeErrors[59] < 0.2, `relative error after 60 rounds ${relativeErrors[59]}`);
  ok(relativeErrors[59] < 0.35 * relativeErrors[0], `${relativeErrors[0]} → ${relativeErrors[59]}`);
});

Deno.test("a delta for another model version or with other shapes is refused before decoding", () => {
  const bytes = encodeDelta(randomDelta(7), { modelVersion: 4 });
  throws(() => decodeDelta(bytes, { modelVersion: 5 }), /modelVersion is 4, expected 5/);
  const otherShape = new Map(SHAPES).set("a.norm", [14]);
  throws(
    () => decodeDelta(bytes, { shapes: otherShape }),
    /tensor "a\.norm" has shape \[13\], the model's is \[14\]/,
  );
  const extra = new Map(SHAPES).set("c", [2]);
  throws(() => decodeDelta(bytes, { shapes: extra }), /tensor "c" is missing/);
  const fewer = new Map(SHAPES);
  fewer.delete("b");
  throws(() => decodeDelta(bytes, { shapes: fewer }), /tensor "b" is not in the model/);
  decodeDelta(bytes, { modelVersion: 4, shapes: SHAPES });
});

Deno.test("bad magic, version, size cap and a truncated body are refused naming the field", () => {
  const bytes = encodeDelta(randomDelta(8), { modelVersion: 1 });
  const copy = () => Uint8Array.from(bytes);
  const magic = copy();
  magic[0] = 0x58;
  throws(() => decodeDelta(magic), /magic is "XTRXDLTA", expected "GTRXDLTA"/);
  const version = copy();
  new DataView(version.buffer).setUint32(8, DELTA_VERSION + 1, true);
  throws(() => decodeDelta(version), /version is 2, expected 1/);
  throws(
    () => decodeDelta(new Uint8Array(MAX_DELTA_BYTES + 1)),
    /file is 20000001 bytes, limit 20000000/,
  );
  throws(() => decodeDelta(bytes.subarray(0, bytes.length - 1)), /the header describes/);
  throws(() => decodeDelta(bytes.subarray(0, 10)), /shorter than the 16-byte fixed header/);
  throws(
    () =>
      encodeDelta(
        { values: new Map([["x", Float32Array.of(NaN)]]), shapes: new Map([["x", [1]]]) },
        { modelVersion: 0 },
      ),
    /not finite at 0/,
  );
});

function withHeader(header: unknown, body = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(16 + json.length + body.length);
  bytes.set(new TextEncoder().encode("GTRXDLTA"));
  new DataView(bytes.buffer).setUint32(8, 1, true);
  new DataView(bytes.buffer).setUint32(12, json.length, true);
  bytes.set(json, 16);
  bytes.set(body, 16 + json.length);
  return bytes;
}

Deno.test("hostile headers are refused with the field and limit named", () => {
  const codec = { chunkSize: 64, topK: 4, dct: false, valueBits: 8 };
  const ok1 = { modelVersion: 0, codec, tensors: [], meta: {} };
  decodeDelta(withHeader(ok1));
  throws(
    () => decodeDelta(withHeader({ ...ok1, codec: { ...codec, chunkSize: 8192 } })),
    /codec\.chunkSize is 8192, expected an integer 2 to 4096/,
  );
  throws(
    () => decodeDelta(withHeader({ ...ok1, codec: { ...codec, topK: 65 } })),
    /codec\.topK is 65/,
  );
  throws(
    () => decodeDelta(withHeader({ ...ok1, codec: { ...codec, valueBits: 16 } })),
    /codec\.valueBits is 16, expected 8 or 32/,
  );
  throws(() => decodeDelta(withHeader({ ...ok1, modelVersion: -1 })), /modelVersion is -1/);
  throws(
    () => decodeDelta(withHeader({ ...ok1, tensors: [{ name: "x", shape: [1 << 26] }] })),
    /over 33554432 values, the limit/,
  );
  throws(
    () => decodeDelta(withHeader({ ...ok1, tensors: [{ name: "x", shape: [0] }] })),
    /tensors\[0\]\.shape of "x" is \[0\]/,
  );
  throws(
    () =>
      decodeDelta(
        withHeader({ ...ok1, tensors: [{ name: "x", shape: [1] }, { name: "x", shape: [1] }] }),
      ),
    /"x" is repeated/,
  );
  throws(
    () => decodeDelta(withHeader({ ...ok1, meta: { evil: 1 } })),
    /meta\.evil is not a known field/,
  );
  throws(
    () =>
      decodeDelta(
        withHeader({ ...ok1, tensors: [{ name: "x", shape: [4] }] }, new Uint8Array(4 + 4 + 1)),
      ),
    /index|scale|describes/,
  );
});

Deno.test("decoder fuzz: seeded corrupted and random inputs either decode to finite tensors or throw a RangeError", () => {
  const random = new SeededRandom(9);
  const seeds = [
    encodeDelta(randomDelta(10), { modelVersion: 2 }),
    encodeDelta(randomDelta(11), {
      modelVersion: 2,
      codec: { chunkSize: 16, topK: 3, dct: true, valueBits: 32 },
    }),
  ];
  let decoded = 0;
  let refused = 0;
  for (let trial = 0; trial < 3000; trial++) {
    const source = seeds[trial % seeds.length];
    let bytes = Uint8Array.from(source);
    const mode = random.integer(0, 5);
    if (mode === 0) {
      // Flip bytes anywhere; or in the body only, where the header still parses.
      const from = random.uniform() < 0.5 ? 0 : source.length - 200;
      for (let i = random.integer(1, 6); i > 0; i--) {
        bytes[random.integer(from, bytes.length)] ^= 1 << random.integer(0, 8);
      }
    } else if (mode === 1) {
      bytes = bytes.subarray(0, random.integer(0, bytes.length));
    } else if (mode === 2) {
      bytes = Uint8Array.from([
        ...bytes,
        ...Array.from({ length: random.integer(1, 64) }, () => random.integer(0, 256)),
      ]);
    } else if (mode === 3) {
      bytes = Uint8Array.from({ length: random.integer(0, 512) }, () => random.integer(0, 256));
      if (random.uniform() < 0.5) bytes.set(source.subarray(0, Math.min(16, bytes.length)));
    } else {
      // Rewrite the header length.
      new DataView(bytes.buffer).setUint32(12, random.integer(0, 1 << 21), true);
    }
    try {
      const result = decodeDelta(bytes);
      for (const values of result.values.values()) ok(values.every(Number.isFinite));
      decoded++;
    } catch (error) {
      ok(error instanceof RangeError, `trial ${trial}: ${error}`);
      ok(/^Cannot decode weight delta: /.test((error as Error).message));
      refused++;
    }
  }
  ok(decoded > 50 && refused > 1000, `decoded ${decoded}, refused ${refused}`);
});
