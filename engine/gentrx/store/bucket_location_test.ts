import { deepEqual, equal, throws } from "node:assert/strict";
import {
  bucketFromUrl,
  formatBucketLocation,
  MAX_COMMITMENT_CHARS,
  parseBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import { FieldError } from "@/engine/protocol/fields.ts";

const LIMITS = { maxChars: MAX_COMMITMENT_CHARS, allowFolder: true };

Deno.test("bucket locations round-trip through their string", () => {
  for (
    const location of [
      { kind: "folder", path: "/srv/miner bucket" },
      {
        kind: "s3",
        endpoint: "https://abc.r2.cloudflarestorage.com",
        bucket: "miner-7",
        accessKeyId: "READKEY",
        secretAccessKey: "s3cr3t/+=",
      },
      {
        kind: "s3",
        endpoint: "http://127.0.0.1:9000/prefix",
        bucket: "b.x-1",
        accessKeyId: "K",
        secretAccessKey: "S",
      },
    ] as const
  ) {
    deepEqual(parseBucketLocation(formatBucketLocation(location), "c", LIMITS), location);
  }
  deepEqual(
    bucketFromUrl("http://127.0.0.1:9000/miner-1/", {
      accessKeyId: "A",
      secretAccessKey: "B",
      region: "auto",
    }),
    {
      kind: "s3",
      endpoint: "http://127.0.0.1:9000",
      bucket: "miner-1",
      accessKeyId: "A",
      secretAccessKey: "B",
      region: "auto",
    },
  );
});

Deno.test("bucket locations refuse what a validator must not read, naming the field", () => {
  const refused = (text: unknown, message: string, allowFolder = true) =>
    throws(
      () => parseBucketLocation(text, "commitment", { ...LIMITS, allowFolder }),
      (error) => error instanceof FieldError && error.message === `Invalid commitment: ${message}`,
    );
  refused("x".repeat(129), "must be a string of 1 to 128 characters");
  refused("file:relative/path", 'folder "relative/path" must be an absolute path without ".."');
  refused("file:/a/../etc", 'folder "/a/../etc" must be an absolute path without ".."');
  refused("file:/srv", "a local folder is readable on the local network only", false);
  refused(
    "http://h/bucket key",
    'must be "file:/abs/path" or "<endpoint>/<bucket> <accessKeyId> <secretAccessKey>"',
  );
  refused("ftp://h/bucket k s", '"ftp://h/bucket" must be an http or https URL');
  refused("http://h/bucket?x=1 k s", '"http://h/bucket?x=1" must have no query, fragment or user');
  refused("http://h/UPPER k s", 'bucket "UPPER" must be 3–63 lowercase letters, digits, . or -');
  refused("http://h/bucket k\u0001 s", "the access key id must be 1 to 128 printable characters");
  equal(formatBucketLocation({ kind: "folder", path: "/x" }), "file:/x");
});
