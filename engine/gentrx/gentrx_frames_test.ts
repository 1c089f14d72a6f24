import { deepEqual, equal, throws } from "node:assert/strict";
import { decode, encode } from "@msgpack/msgpack";
import { PROTOCOL_VERSION } from "@/engine/gateway/frames.ts";
import { MAX_DELTA_BYTES } from "@/engine/gentrx/compression/delta_codec.ts";
import {
  assignFrame,
  MAX_ASSIGNED_PAGES,
  readGenTrxAssign,
  readGenTrxBody,
} from "@/engine/gentrx/gentrx_frames.ts";
import { FieldError } from "@/engine/protocol/fields.ts";

const PAGE = "gentrx/local/simulation/data/0/1/intervals/0-100.parquet";
const FRAME = assignFrame(
  { round: 7, uid: 3, modelVersion: 2, pages: [PAGE], tsStartNs: 0, tsEndNs: 100 },
  {
    deadlineMs: 1_800_000_000_000,
    data: "http://127.0.0.1:9000/validator READ SECRET",
    network: "local",
    source: "simulation",
    aggregatorUid: 0,
  },
);

function refusedAs(call: () => unknown, message: string): void {
  throws(call, (error) => error instanceof FieldError && error.message === message);
}

Deno.test("gentrx_assign survives msgpack and is read back as sent", () => {
  equal(FRAME.t, "gentrx_assign");
  equal(FRAME.v, PROTOCOL_VERSION);
  deepEqual(readGenTrxAssign(decode(encode(FRAME)), false), FRAME);
});

Deno.test("gentrx_assign refuses every malformed field by name", () => {
  const bad = (changes: Record<string, unknown>) =>
    readGenTrxAssign({ ...FRAME, ...changes }, false);
  refusedAs(() => readGenTrxAssign([], false), "Invalid gentrx_assign: must be a map");
  refusedAs(() => bad({ pages: [] }), "Invalid gentrx_assign.pages: must hold at least 1 page");
  refusedAs(
    () => bad({ pages: Array(MAX_ASSIGNED_PAGES + 1).fill(PAGE) }),
    `Invalid gentrx_assign.pages: must be a list of at most ${MAX_ASSIGNED_PAGES} items`,
  );
  refusedAs(
    () => bad({ pages: [PAGE, "../../etc/passwd"] }),
    'Invalid gentrx_assign.pages[1]: Invalid object key "../../etc/passwd": it has a ".." segment',
  );
  refusedAs(
    () => bad({ round: -1 }),
    `Invalid gentrx_assign.round: must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
  );
  refusedAs(
    () => bad({ uid: 70_000 }),
    "Invalid gentrx_assign.uid: must be an integer from 0 to 65535",
  );
  refusedAs(
    () => bad({ tsEndNs: -5 }),
    `Invalid gentrx_assign.tsEndNs: must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
  );
  refusedAs(
    () => bad({ tsStartNs: 200 }),
    "Invalid gentrx_assign.tsEndNs: must not be before tsStartNs 200",
  );
  refusedAs(
    () => bad({ deadlineMs: "soon" }),
    `Invalid gentrx_assign.deadlineMs: must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}`,
  );
  refusedAs(
    () => bad({ network: "moon" }),
    "Invalid gentrx_assign.network: must be one of mainnet, testnet, local",
  );
  refusedAs(
    () => bad({ source: 1 }),
    "Invalid gentrx_assign.source: must be one of simulation, exchange",
  );
  refusedAs(() => bad({ v: 2 }), "Invalid gentrx_assign.v: must be an integer from 1 to 1");
  refusedAs(
    () => bad({ data: "ftp://x/bucket a b" }),
    'Invalid gentrx_assign.data: "ftp://x/bucket" must be an http or https URL',
  );
  refusedAs(
    () => bad({ data: "file:/srv/objects" }),
    "Invalid gentrx_assign.data: a local folder is readable on the local network only",
  );
  equal(readGenTrxAssign({ ...FRAME, data: "file:/srv/objects" }, true).data, "file:/srv/objects");
});

Deno.test("miner GenTRX bodies: other bodies are not ours, ours are checked by name", () => {
  equal(readGenTrxBody({ step: 3, instructions: [] }), null);
  equal(readGenTrxBody({ forecast: "a", commitment: "00" }), null);
  deepEqual(readGenTrxBody({ gentrx: "join" }), { gentrx: "join" });
  deepEqual(readGenTrxBody({ gentrx: "commit", commitment: "file:/b" }), {
    gentrx: "commit",
    commitment: "file:/b",
  });
  const key = "gentrx/local/simulation/gradients/3/00000007.grad";
  deepEqual(readGenTrxBody({ gentrx: "uploaded", round: 7, key, sizeBytes: 10 }), {
    gentrx: "uploaded",
    round: 7,
    key,
    sizeBytes: 10,
  });
  refusedAs(
    () => readGenTrxBody({ gentrx: "x" }),
    'Invalid gentrx: must be "join", "commit" or "uploaded"',
  );
  refusedAs(
    () => readGenTrxBody({ gentrx: "commit", commitment: "x".repeat(129) }),
    "Invalid gentrx.commitment: must be at most 128 characters, not 129",
  );
  const r2 = "0123456789abcdef".repeat(8); // τaos's packed R2 key
  deepEqual(readGenTrxBody({ gentrx: "commit", commitment: r2 }), {
    gentrx: "commit",
    commitment: r2,
  });
  refusedAs(
    () => readGenTrxBody({ gentrx: "commit", commitment: "ftp://x" }),
    'Invalid gentrx.commitment: must be "file:/abs/path", an R2 key (128 hex digits or "r2:…") ' +
      'or "<endpoint>/<bucket> <accessKeyId> <secretAccessKey>"',
  );
  refusedAs(
    () => readGenTrxBody({ gentrx: "uploaded", round: 7, key, sizeBytes: MAX_DELTA_BYTES + 1 }),
    `Invalid gentrx.sizeBytes: must be an integer from 1 to ${MAX_DELTA_BYTES}`,
  );
  refusedAs(
    () => readGenTrxBody({ gentrx: "uploaded", round: 7, key: "a//b", sizeBytes: 1 }),
    'Invalid gentrx.key: Invalid object key "a//b": it has an empty path segment',
  );
  refusedAs(
    () => readGenTrxBody({ gentrx: "uploaded", round: 1.5, key, sizeBytes: 1 }),
    `Invalid gentrx.round: must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
  );
});
