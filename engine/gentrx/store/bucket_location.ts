/**
 * A bucket and the credentials to read it, as one short string: what a
 * miner publishes as its chain commitment (taos.md §6.6: τaos packs an
 * account id, a read key and a read secret into 128 characters) and what a
 * validator tells miners about its own pages in `gentrx_assign`.
 *
 * | form | meaning |
 * |---|---|
 * | `file:/abs/path` | a local folder (same machine only: the local network) |
 * | `<endpoint>/<bucket> <accessKeyId> <secretAccessKey>` | an S3 bucket, path-style |
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

/** The Commitments pallet's limit on one commitment (local_chain.ts, taos.md §6.6). */
export const MAX_COMMITMENT_CHARS = 128;
/** Longest location a validator sends in an assignment (a folder path may be long). */
export const MAX_LOCATION_CHARS = 1024;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CREDENTIAL = /^[\x21-\x7e]{1,128}$/;

export function formatBucketLocation(location: BucketLocation): string {
  if (location.kind === "folder") return `file:${location.path}`;
  const endpoint = location.endpoint.replace(/\/$/, "");
  return `${endpoint}/${location.bucket} ${location.accessKeyId} ${location.secretAccessKey}`;
}

/**
 * Parses a location string; throws a FieldError naming `field` and the
 * problem. `allowFolder` is false where the reader is on another machine.
 */
export function parseBucketLocation(
  text: unknown,
  field: string,
  options: { maxChars: number; allowFolder: boolean },
): BucketLocation {
  if (typeof text !== "string" || text.length === 0 || text.length > options.maxChars) {
    throw new FieldError(field, `must be a string of 1 to ${options.maxChars} characters`);
  }
  if (text.startsWith("file:")) {
    if (!options.allowFolder) {
      throw new FieldError(field, "a local folder is readable on the local network only");
    }
    const path = text.slice("file:".length);
    if (!path.startsWith("/") || path.split("/").includes("..")) {
      throw new FieldError(field, `folder "${path}" must be an absolute path without ".."`);
    }
    return { kind: "folder", path };
  }
  const parts = text.split(" ");
  if (parts.length !== 3) {
    throw new FieldError(
      field,
      'must be "file:/abs/path" or "<endpoint>/<bucket> <accessKeyId> <secretAccessKey>"',
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
  if (url.search !== "" || url.hash !== "" || url.username !== "") {
    throw new FieldError(field, `"${bucketUrl}" must have no query, fragment or user`);
  }
  const segments = url.pathname.replace(/\/$/, "").split("/");
  const bucket = segments.pop()!;
  if (!BUCKET_NAME.test(bucket)) {
    throw new FieldError(
      field,
      `bucket "${bucket}" must be 3–63 lowercase letters, digits, . or -`,
    );
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

/**
 * A miner's `--bucket`: a folder path or an S3 bucket URL
 * (`http://127.0.0.1:9000/miner-1`) with the credentials given apart.
 */
export function bucketFromUrl(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string; region?: string },
): BucketLocation {
  const location = parseBucketLocation(
    `${url.replace(/\/$/, "")} ${credentials.accessKeyId} ${credentials.secretAccessKey}`,
    "--bucket",
    { maxChars: MAX_LOCATION_CHARS, allowFolder: false },
  );
  return location.kind === "s3" && credentials.region
    ? { ...location, region: credentials.region }
    : location;
}
