import { deepEqual, equal } from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { EncodedFiles, preferredCoding } from "@/server/fresh_lite/encoded_files.ts";

Deno.test("preferredCoding() takes the best coding the header allows, Brotli on a tie", async () => {
  const cases: [string | undefined, string | null][] = [
    [undefined, null],
    ["", null],
    ["identity", null],
    ["gzip, deflate, br, zstd", "br"], // Chromium's header
    ["gzip, deflate", "gzip"],
    ["br;q=0.5, gzip", "gzip"],
    ["BR", "br"],
    ["*", "br"],
    ["*;q=0.3, br;q=0", "gzip"],
    ["br;q=0, gzip;q=0", null],
  ];
  const app = new Hono().get("/", (c) => c.text(String(preferredCoding(c))));
  for (const [header, coding] of cases) {
    const headers: Record<string, string> = header === undefined
      ? {}
      : { "accept-encoding": header };
    equal(await (await app.request("/", { headers })).text(), String(coding), String(header));
  }
});

Deno.test("EncodedFiles compresses each file once per coding and gives back the bytes", async () => {
  const script = new TextEncoder().encode("export const x = 1;\n".repeat(500));
  const files = new EncodedFiles(new Map([["/_islands/a.js", script]]));
  const br = await files.get("/_islands/a.js", "br")!;
  const gz = await files.get("/_islands/a.js", "gzip")!;
  deepEqual(new Uint8Array(brotliDecompressSync(br)), script);
  deepEqual(new Uint8Array(gunzipSync(gz)), script);
  equal(br.length < script.length / 20, true);
  equal(await files.get("/_islands/a.js", "br"), br); // the same copy, not a new one
  equal(await files.get("/_islands/a.js", null), script);
  equal(files.get("/_islands/missing.js", "br"), undefined);
});
