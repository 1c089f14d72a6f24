import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  bucketFromUrl,
  type BucketLocation,
  commitmentOf,
  formatBucketLocation,
  MAX_COMMITMENT_CHARS,
  MAX_LOCATION_CHARS,
  parseBucketLocation,
} from "@/engine/gentrx/store/bucket_location.ts";
import { FieldError } from "@/engine/protocol/fields.ts";

const LIMITS = { maxChars: MAX_COMMITMENT_CHARS, allowFolder: true };
/** An R2 read key's parts as Cloudflare issues them: lowercase hex, 32, 32 and 64 digits. */
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const KEY_ID = "fedcba9876543210fedcba9876543210";
const SECRET = "00112233445566778899aabbccddeeff".repeat(2);
const R2_ENDPOINT = `https://${ACCOUNT}.r2.cloudflarestorage.com`;

function r2(bucket: string): Extract<BucketLocation, { kind: "s3" }> {
  return {
    kind: "s3",
    endpoint: R2_ENDPOINT,
    bucket,
    accessKeyId: KEY_ID,
    secretAccessKey: SECRET,
  };
}

Deno.test("bucket locations round-trip through their string", () => {
  for (
    const location of [
      { kind: "folder", path: "/srv/miner bucket" },
      r2(ACCOUNT),
      r2("dave-gentrx"),
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

Deno.test("an R2 read key fits the 128-character commitment: τaos's packed form when the bucket is named after the account, r2:… otherwise", () => {
  // τaos (BucketInfo.to_commitment): account id + key id + secret, nothing else.
  const packed = `${ACCOUNT}${KEY_ID}${SECRET}`;
  equal(packed.length, MAX_COMMITMENT_CHARS);
  equal(formatBucketLocation(r2(ACCOUNT)), packed);
  deepEqual(parseBucketLocation(packed, "commitment", LIMITS), r2(ACCOUNT));

  // The README's miner: `--bucket https://<account>.r2.cloudflarestorage.com/dave-gentrx`.
  const readKey = bucketFromUrl(`${R2_ENDPOINT}/dave-gentrx`, {
    accessKeyId: KEY_ID,
    secretAccessKey: SECRET,
  });
  const compact = commitmentOf(readKey, "--bucket");
  equal(compact.length, 3 + 86 + 1 + "dave-gentrx".length);
  equal(
    compact,
    "r2:ASNFZ4mrze8BI0VniavN7_7cuph2VDIQ_ty6mHZUMhAAESIzRFVmd4iZqrvM3e7_ABEiM0RVZneImaq7zN3u_w" +
      "/dave-gentrx",
  );
  deepEqual(parseBucketLocation(compact, "commitment", LIMITS), readKey);
  // The longest name that fits.
  equal(commitmentOf(r2("b".repeat(38)), "--bucket").length, MAX_COMMITMENT_CHARS);
});

Deno.test("an R2 read key in a jurisdiction fits the commitment as r2-eu:… (names up to 35 characters, the account id's too) or r2-fedramp:… (up to 30)", () => {
  for (const [zone, most] of [["eu", 35], ["fedramp", 30]] as const) {
    const inZone = (bucket: string) => ({
      ...r2(bucket),
      endpoint: `https://${ACCOUNT}.${zone}.r2.cloudflarestorage.com`,
    });
    for (const bucket of ["dave-gentrx", "b".repeat(most), ...(zone === "eu" ? [ACCOUNT] : [])]) {
      const commitment = commitmentOf(inZone(bucket), "--bucket");
      ok(commitment.startsWith(`r2-${zone}:`), commitment);
      ok(commitment.length <= MAX_COMMITMENT_CHARS);
      deepEqual(parseBucketLocation(commitment, "commitment", LIMITS), inZone(bucket));
    }
    throws(
      () => commitmentOf(inZone("b".repeat(most + 1)), "--bucket"),
      (error) =>
        error instanceof FieldError &&
        error.message.endsWith(`name the R2 bucket in at most ${most} characters`),
    );
  }
});

Deno.test("a read key that cannot fit is refused naming the field, the limit, its length and the way to fit", () => {
  const refused = (location: BucketLocation, message: string) =>
    throws(
      () => commitmentOf(location, "--bucket"),
      (error) => error instanceof FieldError && error.message === `Invalid --bucket: ${message}`,
    );
  refused(
    r2("b".repeat(39)),
    "the read key takes 129 characters as a chain commitment, over its limit of 128; " +
      "name the R2 bucket after the account id, or in at most 38 characters",
  );
  const spelledOut = `${R2_ENDPOINT}/dave-gentrx ${KEY_ID.toUpperCase()} ${SECRET}`;
  refused(
    { ...r2("dave-gentrx"), accessKeyId: KEY_ID.toUpperCase() },
    `the read key takes ${spelledOut.length} characters as a chain commitment, over its limit ` +
      "of 128; an R2 read key fits with R2's own key id and secret (32 and 64 hex digits)",
  );
  refused(
    { ...r2("dave-gentrx"), endpoint: "https://s3.eu-central-2.example-storage.com/gentrx" },
    "the read key takes 160 characters as a chain commitment, over its limit of 128; " +
      "use a shorter endpoint, bucket name or keys",
  );
  refused(
    { kind: "folder", path: `/${"d".repeat(128)}` },
    "the read key takes 134 characters as a chain commitment, over its limit of 128; " +
      "use a shorter folder path",
  );
});

Deno.test("bucket locations refuse what a validator must not read, naming the field", () => {
  const refused = (text: unknown, message: string, allowFolder = true) =>
    throws(
      () => parseBucketLocation(text, "commitment", { ...LIMITS, allowFolder }),
      (error) => error instanceof FieldError && error.message === `Invalid commitment: ${message}`,
    );
  refused("x".repeat(129), "must be at most 128 characters, not 129");
  refused(42, "must be a string of 1 to 128 characters");
  refused("file:relative/path", 'folder "relative/path" must be an absolute path without ".."');
  refused("file:/a/../etc", 'folder "/a/../etc" must be an absolute path without ".."');
  refused("file:/a\nb", "must have no control characters");
  refused("http://h/buc\tket k s", "must have no control characters");
  refused("file:/srv", "a local folder is readable on the local network only", false);
  const spelling = 'must be "file:/abs/path", an R2 key (128 hex digits or "r2:…") or ' +
    '"<endpoint>/<bucket> <accessKeyId> <secretAccessKey>"';
  refused("http://h/bucket key", spelling);
  refused(`${ACCOUNT}${KEY_ID}${SECRET}`.toUpperCase(), spelling); // τaos's form is lowercase
  refused("ftp://h/bucket k s", '"ftp://h/bucket" must be an http or https URL');
  refused("http://h/bucket?x=1 k s", '"http://h/bucket?x=1" must have no query, fragment or user');
  refused("http://h//bucket k s", '"http://h//bucket" must have no empty path segment');
  refused("http://h/UPPER k s", 'bucket "UPPER" must be 3–63 lowercase letters, digits, . or -');
  refused("http://h/bucket k\u00e9 s", "the access key id must be 1 to 128 printable characters");
  const r2Spelling = 'an R2 key must be "r2:" (or "r2-eu:", "r2-fedramp:") then 86 base64url ' +
    'characters (account id, key id, secret), "/" and the bucket';
  const compact = formatBucketLocation(r2("dave-gentrx"));
  refused(compact.replace("/dave", "dave"), r2Spelling);
  refused(compact.replace("r2:A", "r2:"), r2Spelling);
  refused(compact.replace("r2:", "r2-us:"), r2Spelling); // no such jurisdiction
  // The 86th character carries 2 bits of the last byte; the rest must be zero.
  refused(compact.replace("w/dave", "x/dave"), r2Spelling);
  refused(
    compact.replace("dave-gentrx", "Dave"),
    'bucket "Dave" must be 3–63 lowercase letters, digits, . or -',
  );
  equal(formatBucketLocation({ kind: "folder", path: "/x" }), "file:/x");
  equal(
    parseBucketLocation("file:/x", "c", { maxChars: MAX_LOCATION_CHARS, allowFolder: true }).kind,
    "folder",
  );
});
