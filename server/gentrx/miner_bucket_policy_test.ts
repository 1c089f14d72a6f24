import { deepEqual, throws } from "node:assert/strict";
import type { BucketLocation } from "@/engine/gentrx/store/bucket_location.ts";
import { checkMinerBucket } from "@/server/gentrx/miner_bucket_policy.ts";

const s3 = (endpoint: string): BucketLocation => ({
  kind: "s3",
  endpoint,
  bucket: "miner-1",
  accessKeyId: "key",
  secretAccessKey: "secret",
});
const LOCAL = { localOnly: true };
const PUBLIC = { localOnly: false };

Deno.test("a loopback-only validator reads folders and loopback buckets, never private networks", () => {
  deepEqual(checkMinerBucket({ kind: "folder", path: "/tmp/b" }, LOCAL), {
    kind: "folder",
    path: "/tmp/b",
  });
  for (const endpoint of ["http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000"]) {
    deepEqual(checkMinerBucket(s3(endpoint), LOCAL), s3(endpoint));
  }
  deepEqual(
    checkMinerBucket(s3("https://acc.r2.cloudflarestorage.com"), LOCAL),
    s3("https://acc.r2.cloudflarestorage.com"),
  );
  throws(() => checkMinerBucket(s3("http://10.0.0.5:9000"), LOCAL), /local or private address/);
  throws(() => checkMinerBucket(s3("http://example.com"), LOCAL), /must use https/);
});

Deno.test("a public validator reads only https buckets on public hosts", () => {
  deepEqual(checkMinerBucket(s3("https://s3.hippius.com"), PUBLIC), s3("https://s3.hippius.com"));
  throws(
    () => checkMinerBucket({ kind: "folder", path: "/etc" }, PUBLIC),
    /file: bucket is accepted only by a validator listening on loopback/,
  );
  for (
    const endpoint of [
      "http://127.0.0.1:9000",
      "https://localhost",
      "https://169.254.169.254",
      "https://10.1.2.3",
      "https://172.16.0.1",
      "https://192.168.1.10",
      "https://100.64.0.1",
      "https://0.0.0.0",
      "https://[::1]",
      "https://[fd00::1]",
      "https://[fe80::1]",
      "https://[::ffff:10.0.0.1]",
    ]
  ) {
    throws(() => checkMinerBucket(s3(endpoint), PUBLIC), /local or private address/, endpoint);
  }
  throws(() => checkMinerBucket(s3("http://s3.example.com"), PUBLIC), /must use https/);
});
