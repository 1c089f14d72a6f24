/**
 * A bucket and the credentials to read it, as one short string: what a
 * miner publishes as its chain commitment (at most 128 characters, the
 * Commitments pallet's `Raw128`) and what a validator tells miners about
 * its own pages in `gentrx_assign`.
 *
 * | form | meaning |
 * |---|---|
 * | `file:/abs/path` | a local folder (same machine only: the local network) |
 * | 128 hex digits: account id (32), key id (32), secret (64) | τaos's packed R2 key: endpoint `https://<account>.r2.cloudflarestorage.com`, bucket named after the account |
 * | `r2:<86 base64url>/<bucket>` | an R2 bucket with its own name: the same 64 bytes in base64url |
 * | `r2-eu:…/<bucket>`, `r2-fedramp:…/<bucket>` | the same in an R2 jurisdiction (`https://<account>.eu.r2.cloudflarestorage.com`) |
 * | `<endpoint>/<bucket> <accessKeyId> <secretAccessKey>` | any S3 bucket, path-style |
 *
 * The packed form is τaos's (taos.md §6.6; its `BucketInfo.to_commitment`,
 * after Templar): an R2 read key is an account id, a 32-hex-digit key id and
 * a 64-hex-digit secret, 128 characters with nothing left for an endpoint
 * or a bucket name, so the endpoint follows from the account and the bucket
 * is named after it. Written as bytes instead of hex digits the three take
 * 86 characters, which leaves room for a bucket name of up to 38
 * (MAX_R2_BUCKET_CHARS; 35 in the EU jurisdiction, 30 in FedRAMP, whose
 * endpoints τaos's form cannot name). Any other S3 bucket is spelled out:
 * it fits when its endpoint, name and keys together do (AWS's 20- and 40-character keys
 * leave 66 characters for the bucket URL); `commitmentOf` says by how
 * much one does not.
 *
 * formatBucketLocation picks the shortest form; parseBucketLocation takes
 * any form and throws nothing but a FieldError. The SigV4 region is not
 * part of the string: readers sign for the one the endpoint's host names
 * (s3_region.ts: `auto` for R2, the region of an AWS endpoint,
 * `decentralized` for Hippius, else us-east-1, which MinIO accepts).
 *
 * ```ts
 * formatBucketLocation({ kind: "s3", endpoint: "http://127.0.0.1:9000", bucket: "miner-1",
 *   accessKeyId: "READ", secretAccessKey: "SECRET" });
 * // "http://127.0.0.1:9000/miner-1 READ SECRET"
 * ```
 *
 * The credentials travel in the clear, so they must be read-only keys.
 *
 * @module
 */
import { FieldError } from "@/engine/protocol/fields.ts";

export type BucketLocation =
  | { kind: "folder"; path: string }
  | {
    kind: "s3";
    endpoint: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
    region?: string;
  };

/** The Commitments pallet's limit on one commitment (`Data::Raw128`, taos.md §6.6). */
export const MAX_COMMITMENT_CHARS = 128;
/** Longest location a validator sends in an assignment (a folder path may be long). */
export const MAX_LOCATION_CHARS = 1024;
/** An R2 read key's 64 bytes (account id, key id, secret) in unpadded base64url. */
const R2_KEY_CHARS = 86;
/** Longest bucket name of the `r2:` form: 128 − `r2:` − 86 − `/` = 38. */
export const MAX_R2_BUCKET_CHARS = MAX_COMMITMENT_CHARS - "r2:".length - R2_KEY_CHARS - 1;
/** R2's jurisdictions, each with its own endpoint (`<account>.<jurisdiction>.r2.…`). */
export const R2_JURISDICTIONS = ["eu", "fedramp"] as const;
type R2Jurisdiction = typeof R2_JURISDICTIONS[number];

/** S3 bucket names: 3–63 lowercase letters, digits, dots and hyphens (as S3ObjectStore). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CREDENTIAL = /^[\x21-\x7e]{1,128}$/;
/** Unicode's control characters (C0, DEL, C1): a string that holds one is refused. */
const CONTROL_CHARACTER = /\p{Cc}/u;
/** R2's S3 endpoint of a Cloudflare account (32 lowercase hex digits), in a jurisdiction or not. */
const R2_ENDPOINT = new RegExp(
  `^https://([0-9a-f]{32})(?:\\.(${R2_JURISDICTIONS.join("|")}))?\\.r2\\.cloudflarestorage\\.com$`,
);
/** An R2 read key: key id and secret (R2 derives the secret as a SHA-256 hex digest). */
const R2_KEY_ID = /^[0-9a-f]{32}$/;
const R2_SECRET = /^[0-9a-f]{64}$/;
/** τaos's packed form: account id, key id and secret, 128 hex digits. */
const TAOS_PACKED = /^[0-9a-f]{128}$/;
/** Account id, key id and secret as 64 bytes of unpadded base64url, then the bucket. */
const R2_COMPACT = new RegExp(
  `^r2(?:-(${R2_JURISDICTIONS.join("|")}))?:([A-Za-z0-9_-]{${R2_KEY_CHARS}})/(.*)$`,
);
/** What starts a compact R2 key, of a known jurisdiction or not. */
const R2_COMPACT_START = /^r2(?:-[^:/ ]*)?:/;

type S3Location = Extract<BucketLocation, { kind: "s3" }>;

interface R2Endpoint {
  account: string;
  jurisdiction?: R2Jurisdiction;
}

/** The Cloudflare account (and jurisdiction) of an R2 endpoint, else undefined. */
function r2Endpoint(endpoint: string): R2Endpoint | undefined {
  const match = R2_ENDPOINT.exec(endpoint.replace(/\/$/, ""));
  if (match === null) return undefined;
  const jurisdiction = match[2] as R2Jurisdiction | undefined;
  return jurisdiction ? { account: match[1], jurisdiction } : { account: match[1] };
}

/**
 * The R2 endpoint, and its account, key id and secret as hex digits, or null
 * when `location` is not an R2 read key.
 */
function r2Parts(location: S3Location): (R2Endpoint & { hex: string }) | null {
  const endpoint = r2Endpoint(location.endpoint);
  if (
    endpoint === undefined || !R2_KEY_ID.test(location.accessKeyId) ||
    !R2_SECRET.test(location.secretAccessKey)
  ) {
    return null;
  }
  return {
    ...endpoint,
    hex: `${endpoint.account}${location.accessKeyId}${location.secretAccessKey}`,
  };
}

function r2Location(hex: string, bucket: string, jurisdiction?: R2Jurisdiction): S3Location {
  const zone = jurisdiction ? `.${jurisdiction}` : "";
  return {
    kind: "s3",
    endpoint: `https://${hex.slice(0, 32)}${zone}.r2.cloudflarestorage.com`,
    bucket,
    accessKeyId: hex.slice(32, 64),
    secretAccessKey: hex.slice(64),
  };
}

/** The compact form's prefix: `r2:`, or `r2-<jurisdiction>:`. */
function r2Prefix(jurisdiction?: R2Jurisdiction): string {
  return jurisdiction ? `r2-${jurisdiction}:` : "r2:";
}

/** Longest bucket name of the compact form in `jurisdiction`. */
function maxR2BucketChars(jurisdiction?: R2Jurisdiction): number {
  return MAX_COMMITMENT_CHARS - r2Prefix(jurisdiction).length - R2_KEY_CHARS - 1;
}

function hexToBase64Url(hex: string): string {
  const bytes = hex.match(/../g)!.map((pair) => parseInt(pair, 16));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The hex digits of canonical base64url `text` (re-encoding gives it back), else null. */
function base64UrlToHex(text: string): string | null {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const hex = Array.from(binary, (char) => char.charCodeAt(0).toString(16).padStart(2, "0"))
    .join("");
  return hexToBase64Url(hex) === text ? hex : null;
}

/** The shortest string for `location` (see the module's table). */
export function formatBucketLocation(location: BucketLocation): string {
  if (location.kind === "folder") return `file:${location.path}`;
  const r2 = r2Parts(location);
  if (r2 !== null && location.bucket === r2.account && !r2.jurisdiction) return r2.hex;
  if (r2 !== null) {
    return `${r2Prefix(r2.jurisdiction)}${hexToBase64Url(r2.hex)}/${location.bucket}`;
  }
  const endpoint = location.endpoint.replace(/\/$/, "");
  return `${endpoint}/${location.bucket} ${location.accessKeyId} ${location.secretAccessKey}`;
}

/**
 * `location` as a chain commitment; throws a FieldError naming `field`, the
 * limit and the length when it does not fit, with what would make it fit.
 */
export function commitmentOf(location: BucketLocation, field: string): string {
  const commitment = formatBucketLocation(location);
  if (commitment.length <= MAX_COMMITMENT_CHARS) return commitment;
  throw new FieldError(
    field,
    `the read key takes ${commitment.length} characters as a chain commitment, over its limit ` +
      `of ${MAX_COMMITMENT_CHARS}; ${fitAdvice(location)}`,
  );
}

function fitAdvice(location: BucketLocation): string {
  if (location.kind === "folder") return "use a shorter folder path";
  const r2 = r2Parts(location);
  if (r2Endpoint(location.endpoint) === undefined) {
    return "use a shorter endpoint, bucket name or keys";
  }
  if (r2 === null) {
    return "an R2 read key fits with R2's own key id and secret (32 and 64 hex digits)";
  }
  const most = maxR2BucketChars(r2.jurisdiction);
  return r2.jurisdiction
    ? `name the R2 bucket in at most ${most} characters`
    : `name the R2 bucket after the account id, or in at most ${most} characters`;
}

/**
 * Parses a location string in any form; throws a FieldError naming `field`
 * and the problem. `allowFolder` is false where the reader is on another
 * machine.
 */
export function parseBucketLocation(
  text: unknown,
  field: string,
  options: { maxChars: number; allowFolder: boolean },
): BucketLocation {
  if (typeof text !== "string" || text.length === 0) {
    throw new FieldError(field, `must be a string of 1 to ${options.maxChars} characters`);
  }
  if (text.length > options.maxChars) {
    throw new FieldError(
      field,
      `must be at most ${options.maxChars} characters, not ${text.length}`,
    );
  }
  if (CONTROL_CHARACTER.test(text)) {
    throw new FieldError(field, "must have no control characters");
  }
  if (text.startsWith("file:")) return parseFolder(text.slice("file:".length), field, options);
  if (TAOS_PACKED.test(text)) return r2Location(text, text.slice(0, 32));
  if (R2_COMPACT_START.test(text)) return parseR2Compact(text, field);
  return parseSpelledOut(text, field);
}

function parseFolder(path: string, field: string, options: { allowFolder: boolean }) {
  if (!options.allowFolder) {
    throw new FieldError(field, "a local folder is readable on the local network only");
  }
  if (!path.startsWith("/") || path.split("/").includes("..")) {
    throw new FieldError(field, `folder "${path}" must be an absolute path without ".."`);
  }
  return { kind: "folder", path } as const;
}

function parseR2Compact(text: string, field: string): S3Location {
  const match = R2_COMPACT.exec(text);
  const hex = match ? base64UrlToHex(match[2]) : null;
  if (match === null || hex === null) {
    throw new FieldError(
      field,
      `an R2 key must be "r2:" (or ${
        R2_JURISDICTIONS.map((zone) => `"r2-${zone}:"`).join(", ")
      }) then 86 base64url characters (account id, key id, secret), "/" and the bucket`,
    );
  }
  checkBucketName(match[3], field);
  return r2Location(hex, match[3], match[1] as R2Jurisdiction | undefined);
}

function parseSpelledOut(text: string, field: string): S3Location {
  const parts = text.split(" ");
  if (parts.length !== 3) {
    throw new FieldError(
      field,
      'must be "file:/abs/path", an R2 key (128 hex digits or "r2:…") or ' +
        '"<endpoint>/<bucket> <accessKeyId> <secretAccessKey>"',
    );
  }
  const [bucketUrl, accessKeyId, secretAccessKey] = parts;
  let url: URL;
  try {
    url = new URL(bucketUrl);
  } catch {
    throw new FieldError(field, `"${bucketUrl}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FieldError(field, `"${bucketUrl}" must be an http or https URL`);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new FieldError(field, `"${bucketUrl}" must have no query, fragment or user`);
  }
  const segments = url.pathname.replace(/\/$/, "").split("/");
  const bucket = segments.pop()!;
  checkBucketName(bucket, field);
  if (segments.slice(1).includes("")) {
    throw new FieldError(field, `"${bucketUrl}" must have no empty path segment`);
  }
  for (const [name, value] of [["access key id", accessKeyId], ["secret", secretAccessKey]]) {
    if (!CREDENTIAL.test(value)) {
      throw new FieldError(field, `the ${name} must be 1 to 128 printable characters`);
    }
  }
  return {
    kind: "s3",
    endpoint: `${url.origin}${segments.join("/")}`,
    bucket,
    accessKeyId,
    secretAccessKey,
  };
}

function checkBucketName(bucket: string, field: string): void {
  if (!BUCKET_NAME.test(bucket)) {
    throw new FieldError(
      field,
      `bucket "${bucket}" must be 3–63 lowercase letters, digits, . or -`,
    );
  }
}

/**
 * A miner's `--bucket`: a folder path or an S3 bucket URL
 * (`http://127.0.0.1:9000/miner-1`) with the credentials given apart.
 */
export function bucketFromUrl(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string; region?: string },
): BucketLocation {
  const location = parseSpelledOut(
    `${url.replace(/\/$/, "")} ${credentials.accessKeyId} ${credentials.secretAccessKey}`,
    "--bucket",
  );
  return credentials.region ? { ...location, region: credentials.region } : location;
}
